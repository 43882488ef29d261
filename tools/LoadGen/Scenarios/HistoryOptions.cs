using TeamTalk.Orleans.LoadGen.Cli;

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

    public static HistoryOptions Parse(ParsedArgs args) => new()
    {
        Messages = args.Int("messages", 100_000, 1, 10_000_000),
        Readers = args.Int("readers", 4, 1, 4),
        Depth = args.Int("depth", 4, 1, 256),
        Page = args.Int("page", 20, 1, 100),
        Duration = args.Duration("duration", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30)),
    };
}
