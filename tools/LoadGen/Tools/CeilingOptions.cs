using TeamTalk.Orleans.LoadGen.Cli;

namespace TeamTalk.Orleans.LoadGen.Tools;

/// <summary>Options of <c>ceiling</c>.</summary>
internal sealed record CeilingOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    public int Batch { get; init; } = 100;

    public int MessageBytes { get; init; } = 40;

    public bool KeepTable { get; init; }

    public static CeilingOptions Parse(ParsedArgs args) => new()
    {
        Duration = args.Duration("duration", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
        Warmup = args.Duration("warmup", TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(1)),
        Batch = args.Int("batch", 100, 1, 5000),
        MessageBytes = args.Int("message-bytes", 40, 1, 4000),
        KeepTable = args.Flag("keep-table"),
    };
}
