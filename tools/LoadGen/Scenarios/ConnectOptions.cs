using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>connect</c> scenario.</summary>
internal sealed record ConnectOptions
{
    public int Connections { get; init; } = 1000;

    /// <summary>How long the connections are held (with heartbeats) after the ramp.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the ramp may take before the scenario gives up on the rest.</summary>
    public TimeSpan RampLimit { get; init; } = TimeSpan.FromMinutes(3);

    private static readonly Option<int> ConnectionsOption = CliOptions.Count("--connections", 1000, 1, 1_000_000, "logged-in connections to ramp to");
    private static readonly Option<TimeSpan> HoldOption = CliOptions.Duration("--hold", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromHours(1), "how long the connections are held with heartbeats");
    private static readonly Option<TimeSpan> RampLimitOption = CliOptions.Duration("--ramp-limit", TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "longest the ramp may take");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [ConnectionsOption, HoldOption, RampLimitOption];

    public static ConnectOptions From(ParseResult args) => new()
    {
        Connections = args.GetValue(ConnectionsOption),
        Hold = args.GetValue(HoldOption),
        RampLimit = args.GetValue(RampLimitOption),
    };
}
