using TeamTalk.Orleans.LoadGen.Cli;

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

    public static ChatOptions Parse(ParsedArgs args) => new()
    {
        Pairs = args.Int("pairs", 100, 1, 100_000),
        Rate = args.Double("rate", 18, 0, 10_000),
        Inflight = args.Int("inflight", 4, 1, 256),
        OneWay = args.Flag("one-way"),
        MessageBytes = args.Int("message-bytes", 40, 1, 4000),
        Warmup = args.Duration("warmup", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
        Duration = args.Duration("duration", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30)),
        Drain = args.Duration("drain", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
    };
}
