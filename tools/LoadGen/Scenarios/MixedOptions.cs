using TeamTalk.Orleans.LoadGen.Cli;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>mixed</c> scenario.</summary>
internal sealed record MixedOptions
{
    public int Users { get; init; } = 200;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Mean pause between a user's actions (exponentially distributed).</summary>
    public TimeSpan Think { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Members of each group the users chat in (users are put in groups of this size when the run starts).</summary>
    public int GroupSize { get; init; } = 8;

    public static MixedOptions Parse(ParsedArgs args) => new()
    {
        Users = args.Int("users", 200, 2, 100_000),
        GroupSize = args.Int("group-size", 8, 2, 1000),
        Duration = args.Duration("duration", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30)),
        Think = args.Duration("think", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
    };
}
