using Microsoft.Extensions.Logging;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>
/// One admin command. Implementations need a public parameterless constructor; AdminHost finds them
/// by reflection, so a new command is one new file in this folder.
/// </summary>
internal interface IAdminCommand
{
    /// <summary>The word on the command line, e.g. "migrate".</summary>
    string Name { get; }

    /// <summary>One-line usage, e.g. "migrate --db &lt;connectionString&gt;".</summary>
    string Usage { get; }

    /// <summary>What the command does (shown by --help).</summary>
    string Summary { get; }

    /// <summary>Runs the command; returns the process exit code (AdminHost.Exit*).</summary>
    Task<int> RunAsync(CommandArgs args, AdminContext context, CancellationToken ct);
}

/// <summary>What every command gets: logging and the console streams (results go to Out).</summary>
internal sealed record AdminContext(ILoggerFactory LoggerFactory, TextWriter Out, TextWriter Error);
