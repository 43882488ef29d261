using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>history</c> scenario.</summary>
internal sealed record HistoryOptions
{
    public int Messages { get; init; } = 100_000;

    /// <summary>Reading connections: both parties, as Android and (from 3 on) Windows clients: 1..4.</summary>
    public int Readers { get; init; } = 4;

    /// <summary>Requests in flight per reader.</summary>
    public int Depth { get; init; } = 4;

    public int Page { get; init; } = 20;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    private static readonly Option<int> MessagesOption = CliOptions.Count("--messages", 100_000, 1, 10_000_000, "messages in the conversation (filled in MySQL when shorter)");
    private static readonly Option<int> ReadersOption = CliOptions.Count("--readers", 4, 1, 4, "reading connections");
    private static readonly Option<int> DepthOption = CliOptions.Count("--depth", 4, 1, 256, "requests in flight per reader");
    private static readonly Option<int> PageOption = CliOptions.Count("--page", 20, 1, 100, "messages per history page");
    private static readonly Option<TimeSpan> DurationOption = CliOptions.Duration("--duration", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), "the measured window");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [MessagesOption, ReadersOption, DepthOption, PageOption, DurationOption];

    public static HistoryOptions From(ParseResult args) => new()
    {
        Messages = args.GetValue(MessagesOption),
        Readers = args.GetValue(ReadersOption),
        Depth = args.GetValue(DepthOption),
        Page = args.GetValue(PageOption),
        Duration = args.GetValue(DurationOption),
    };
}
