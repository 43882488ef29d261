using System.Globalization;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>A command-line mistake: reported with the command's usage and exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Options of one command: <c>--name value</c>, <c>--name=value</c> and flags (<c>--verbose</c>).
/// An option followed by another option (or by nothing) is a flag.
/// </summary>
internal sealed class CommandArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal) { "verbose", "help", "h" };

    public static CommandArgs Parse(ReadOnlySpan<string> args)
    {
        var result = new CommandArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }

            var name = arg.TrimStart('-');
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (name.Length == 0 || !result._options.TryAdd(name, value))
            {
                throw new UsageException($"option '{arg}' is empty or given twice");
            }
        }

        return result;
    }

    public bool HasFlag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? Optional(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return null;
        }

        return value ?? throw new UsageException($"option --{name} needs a value");
    }

    public string Required(string name) =>
        Optional(name) is { Length: > 0 } value ? value : throw new UsageException($"option --{name} is required");

    public int Int(string name, int? defaultValue = null, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Optional(name);
        if (text is null)
        {
            return defaultValue ?? throw new UsageException($"option --{name} is required");
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"option --{name} must be an integer in {min}..{max}, not '{text}'");
        }

        return value;
    }

    /// <summary>Fails on options the command did not read (call after reading all options).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}
