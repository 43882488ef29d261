using System.CommandLine;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>
/// One admin command. Implementations need a public parameterless constructor; AdminHost finds them
/// by reflection, so a new command is one new file in this folder.
/// </summary>
internal interface IAdminCommand
{
    /// <summary>The word on the command line, e.g. "migrate".</summary>
    string Name { get; }

    /// <summary>What the command does (shown by --help).</summary>
    string Summary { get; }

    /// <summary>The command's options (--verbose and --help come with every command).</summary>
    IReadOnlyList<Option> Options { get; }

    /// <summary>Runs the command with its parsed options; returns the process exit code (AdminHost.Exit*).</summary>
    Task<int> RunAsync(ParseResult args, AdminContext context, CancellationToken ct);
}
