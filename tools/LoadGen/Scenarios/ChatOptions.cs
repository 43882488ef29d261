using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>chat</c> scenario.</summary>
internal sealed record ChatOptions
{
    public int Pairs { get; init; } = 100;

    /// <summary>Messages per second each sending user sends (0: flat-out, closed loop with <see cref="Inflight"/>).</summary>
    public double Rate { get; init; } = 18;

    public int Inflight { get; init; } = 4;

    /// <summary>Only the first user of each pair sends (default: both send to each other).</summary>
    public bool OneWay { get; init; }

    public int MessageBytes { get; init; } = 40;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    public int SendersPerPair => OneWay ? 1 : 2;

    private static readonly Option<int> PairsOption = CliOptions.Count("--pairs", 100, 1, 100_000, "pairs of users chatting 1:1");
    private static readonly Option<double> RateOption = CliOptions.Number("--rate", 18, 0, 10_000, "msgs/s each sending user sends (open loop; latency from the intended send time); 0: flat-out with --inflight");
    private static readonly Option<int> InflightOption = CliOptions.Count("--inflight", 4, 1, 256, "unacked messages per sender with --rate 0 (closed loop)");
    private static readonly Option<bool> OneWayOption = CliOptions.Flag("--one-way", "only the first user of each pair sends (default: both)");
    private static readonly Option<int> MessageBytesOption = CliOptions.Count("--message-bytes", 40, 1, 4000, "text size of each message");
    private static readonly Option<TimeSpan> WarmupOption = CliOptions.Duration("--warmup", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromMinutes(5), "sending before the measured window");
    private static readonly Option<TimeSpan> DurationOption = CliOptions.Duration("--duration", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), "the measured window");
    private static readonly Option<TimeSpan> DrainOption = CliOptions.Duration("--drain", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMinutes(5), "longest wait for acks and deliveries after the window");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [PairsOption, RateOption, InflightOption, OneWayOption, MessageBytesOption, WarmupOption, DurationOption, DrainOption];

    public static ChatOptions From(ParseResult args) => new()
    {
        Pairs = args.GetValue(PairsOption),
        Rate = args.GetValue(RateOption),
        Inflight = args.GetValue(InflightOption),
        OneWay = args.GetValue(OneWayOption),
        MessageBytes = args.GetValue(MessageBytesOption),
        Warmup = args.GetValue(WarmupOption),
        Duration = args.GetValue(DurationOption),
        Drain = args.GetValue(DrainOption),
    };
}
