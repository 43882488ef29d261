using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace TeamTalk.Orleans.CommandLine;

/// <summary>
/// Builders of System.CommandLine options with the tools' conventions: numbers checked against a range (integers may
/// use '_' as a digit separator), durations as <c>30</c>, <c>30s</c>, <c>500ms</c>, <c>2m</c>, defaults shown by --help.
/// </summary>
public static class CliOptions
{
    /// <summary>A whole-number option (a count, a port, an index) in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int> Count(string name, int defaultValue, int min, int max, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseInt(r, min, max),
    };

    /// <summary>A whole-number option the command cannot do without.</summary>
    public static Option<int> RequiredCount(string name, int min, int max, string description) => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = r => ParseInt(r, min, max),
    };

    /// <summary>A number option in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<double> Number(string name, double defaultValue, double min, double max, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > max)
            {
                r.AddError($"option {Name(r)} must be a number in {min}..{max}, not '{text}'");
            }

            return value;
        },
    };

    /// <summary>A duration option between <paramref name="min"/> and <paramref name="max"/> (see <see cref="ParseDuration"/>).</summary>
    public static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, TimeSpan min, TimeSpan max, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (ParseDuration(text) is not { } value)
            {
                r.AddError($"option {Name(r)}: '{text}' is not a duration (e.g. 30, 30s, 500ms, 2m)");
                return defaultValue;
            }

            if (value < min || value > max)
            {
                r.AddError($"option {Name(r)} must be between {min.TotalSeconds:0.###} s and {max.TotalSeconds:0.###} s, not '{text}'");
            }

            return value;
        },
    };

    /// <summary>A text option that may be absent (null).</summary>
    public static Option<string?> Text(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = NonEmpty,
    };

    /// <summary>A text option with a default.</summary>
    public static Option<string> Text(string name, string defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => NonEmpty(r) ?? defaultValue,
    };

    /// <summary>A text option the command cannot do without.</summary>
    public static Option<string> RequiredText(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = r => NonEmpty(r) ?? string.Empty,
    };

    /// <summary>A flag: present (or <c>true</c>) turns it on.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>Parses <c>30</c>, <c>30s</c>, <c>500ms</c>, <c>2m</c>, <c>1.5s</c>; null when malformed or negative.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < 0 || value > 1e7)
        {
            return null;
        }

        return TimeSpan.FromSeconds(value * scale);
    }

    private static int ParseInt(ArgumentResult r, int min, int max)
    {
        var text = r.Tokens[0].Value;
        if (!int.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            r.AddError($"option {Name(r)} must be an integer in {min}..{max}, not '{text}'");
        }

        return value;
    }

    private static string? NonEmpty(ArgumentResult r)
    {
        var text = r.Tokens[0].Value;
        if (text.Length == 0)
        {
            r.AddError($"option {Name(r)} needs a value");
            return null;
        }

        return text;
    }

    private static string Name(ArgumentResult r) => (r.Parent as OptionResult)?.Option.Name ?? "value";
}
