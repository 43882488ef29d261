using System.CommandLine;
using System.CommandLine.Help;

namespace TeamTalk.Orleans.CommandLine;

/// <summary>Parses a tool's command line with System.CommandLine; every parse error becomes one <see cref="UsageException"/>.</summary>
public static class CommandLineParser
{
    /// <summary>The exit code of a command-line mistake.</summary>
    public const int ExitUsage = 2;

    /// <summary>Response files (<c>@file</c>) are off: a value such as a password may start with '@'.</summary>
    private static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null };

    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="root"/>. The command word is matched case-insensitively.
    /// Throws <see cref="UsageException"/> listing every error (unknown options, missing or malformed values, values out of range).
    /// </summary>
    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        var words = args.ToArray();
        if (words.Length > 0 && !words[0].StartsWith('-'))
        {
            words[0] = words[0].ToLowerInvariant();
        }

        var result = root.Parse(words, Configuration);
        if (result.Errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", result.Errors.Select(e => e.Message)));
        }

        return result;
    }

    /// <summary>True when the command line asked for help (<c>--help</c>, <c>-h</c>); the help has then been written.</summary>
    public static bool WroteHelp(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Action is not HelpAction)
        {
            return false;
        }

        result.Invoke();
        return true;
    }

    /// <summary>Writes the help of <paramref name="command"/> (the root's: every command) to <paramref name="writer"/>.</summary>
    public static void WriteHelp(RootCommand root, TextWriter writer, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var args = command is null ? new[] { "--help" } : [command, "--help"];
        root.Parse(args, Configuration).Invoke(new InvocationConfiguration { Output = writer });
    }

    /// <summary>The options given on the command line (not defaults) of the parsed command, with their value tokens, in order.</summary>
    public static IEnumerable<(string Name, IReadOnlyList<string> Values)> GivenOptions(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.CommandResult.Children
            .OfType<System.CommandLine.Parsing.OptionResult>()
            .Where(o => !o.Implicit)
            .Select(o => (o.Option.Name, (IReadOnlyList<string>)[.. o.Tokens.Select(t => t.Value)]));
    }
}
