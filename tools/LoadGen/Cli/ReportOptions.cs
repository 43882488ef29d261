using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Cli;

/// <summary>Options of <c>report</c>: which run files to combine into which markdown report.</summary>
internal sealed record ReportOptions(IReadOnlyList<string> Inputs, string Output, string Title, string? PreambleFile)
{
    private static readonly Option<string> InputsOption = CliOptions.RequiredText("--inputs", "comma-separated JSON files written with --json");
    private static readonly Option<string> OutOption = CliOptions.RequiredText("--out", "path of the markdown file to write; a .json with every run is written beside it");
    private static readonly Option<string> TitleOption = CliOptions.Text("--title", "TeamTalk.Orleans benchmark", "the report's title");
    private static readonly Option<string?> PreambleOption = CliOptions.Text("--preamble-file", "markdown put before the tables");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [InputsOption, OutOption, TitleOption, PreambleOption];

    public static ReportOptions From(ParseResult args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var inputs = args.GetValue(InputsOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ReportOptions(inputs, args.GetValue(OutOption)!, args.GetValue(TitleOption)!, args.GetValue(PreambleOption));
    }
}
