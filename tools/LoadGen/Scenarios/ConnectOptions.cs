using TeamTalk.Orleans.LoadGen.Cli;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>connect</c> scenario.</summary>
internal sealed record ConnectOptions
{
    public int Connections { get; init; } = 1000;

    /// <summary>How long the connections are held (with heartbeats) after the ramp.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the ramp may take before the scenario gives up on the rest.</summary>
    public TimeSpan RampLimit { get; init; } = TimeSpan.FromMinutes(3);

    public static ConnectOptions Parse(ParsedArgs args) => new()
    {
        Connections = args.Int("connections", 1000, 1, 1_000_000),
        Hold = args.Duration("hold", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromHours(1)),
        RampLimit = args.Duration("ramp-limit", TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
    };
}
