using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Tools;

/// <summary>Options of <c>ceiling</c>.</summary>
internal sealed record CeilingOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    public int Batch { get; init; } = 100;

    public int MessageBytes { get; init; } = 40;

    public bool KeepTable { get; init; }

    private static readonly Option<TimeSpan> DurationOption = CliOptions.Duration("--duration", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "the measured window");
    private static readonly Option<TimeSpan> WarmupOption = CliOptions.Duration("--warmup", TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(1), "inserting before the measured window");
    private static readonly Option<int> BatchOption = CliOptions.Count("--batch", 100, 1, 5000, "rows per INSERT transaction");
    private static readonly Option<int> MessageBytesOption = CliOptions.Count("--message-bytes", 40, 1, 4000, "content size of each row");
    private static readonly Option<bool> KeepTableOption = CliOptions.Flag("--keep-table", "keep the scratch table afterwards");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [DurationOption, WarmupOption, BatchOption, MessageBytesOption, KeepTableOption];

    public static CeilingOptions From(ParseResult args) => new()
    {
        Duration = args.GetValue(DurationOption),
        Warmup = args.GetValue(WarmupOption),
        Batch = args.GetValue(BatchOption),
        MessageBytes = args.GetValue(MessageBytesOption),
        KeepTable = args.GetValue(KeepTableOption),
    };
}
