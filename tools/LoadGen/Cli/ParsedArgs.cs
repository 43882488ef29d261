using System.Globalization;

namespace TeamTalk.Orleans.LoadGen.Cli;

/// <summary>
/// <c>loadgen COMMAND [--name value | --name=value | --flag]…</c>. An option followed by another option (or nothing) is
/// a flag. Every getter validates its range; <see cref="RejectUnknown"/> fails on options nobody read.
/// </summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, string?> options = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    private ParsedArgs(string command) => Command = command;

    /// <summary>The first word (scenario or tool), lowercase.</summary>
    public string Command { get; }

    /// <summary>The options as given (for re-launching workers with the same arguments).</summary>
    public IReadOnlyDictionary<string, string?> Options => options;

    public static ParsedArgs Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new UsageException("a command is required (connect, chat, group, mixed, history, ceiling, seed)");
        }

        var result = new ParsedArgs(args[0].ToLowerInvariant());
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (name.Length == 0 || !result.options.TryAdd(name, value))
            {
                throw new UsageException($"option '{arg}' is empty or given twice");
            }
        }

        return result;
    }

    public bool Has(string name)
    {
        used.Add(name);
        return options.ContainsKey(name);
    }

    public bool Flag(string name)
    {
        used.Add(name);
        if (!options.TryGetValue(name, out var value))
        {
            return false;
        }

        return value switch
        {
            null or "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new UsageException($"--{name} is a flag (true/false), not '{value}'"),
        };
    }

    public string? String(string name)
    {
        used.Add(name);
        if (!options.TryGetValue(name, out var value))
        {
            return null;
        }

        return value is { Length: > 0 } ? value : throw new UsageException($"option --{name} needs a value");
    }

    public string String(string name, string defaultValue) => String(name) ?? defaultValue;

    public string Required(string name, string why) =>
        String(name) ?? throw new UsageException($"option --{name} is required ({why})");

    public int Int(string name, int defaultValue, int min, int max)
    {
        var text = String(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw new UsageException($"option --{name} must be an integer in {min}..{max}, not '{text}'");
        }

        return value;
    }

    public double Double(string name, double defaultValue, double min, double max)
    {
        var text = String(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > max)
        {
            throw new UsageException($"option --{name} must be a number in {min}..{max}, not '{text}'");
        }

        return value;
    }

    /// <summary>A duration: <c>90</c> (seconds), <c>90s</c>, <c>250ms</c>, <c>2m</c>.</summary>
    public TimeSpan Duration(string name, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        var text = String(name);
        if (text is null)
        {
            return defaultValue;
        }

        var value = ParseDuration(text) ?? throw new UsageException($"option --{name}: '{text}' is not a duration (e.g. 30, 30s, 500ms, 2m)");
        if (value < min || value > max)
        {
            throw new UsageException($"option --{name} must be between {min.TotalSeconds:0.###} s and {max.TotalSeconds:0.###} s, not '{text}'");
        }

        return value;
    }

    /// <summary>Parses <c>30</c>, <c>30s</c>, <c>500ms</c>, <c>2m</c>, <c>1.5s</c>; null when malformed.</summary>
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

    /// <summary>Fails on options the command did not read.</summary>
    public void RejectUnknown()
    {
        var unknown = options.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option(s) for '{Command}': {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}
