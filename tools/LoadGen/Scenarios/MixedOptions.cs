using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

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

    private static readonly Option<int> UsersOption = CliOptions.Count("--users", 200, 2, 100_000, "users acting at random");
    private static readonly Option<int> GroupSizeOption = CliOptions.Count("--group-size", 8, 2, 1000, "members of each group the users chat in");
    private static readonly Option<TimeSpan> DurationOption = CliOptions.Duration("--duration", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), "the measured window");
    private static readonly Option<TimeSpan> ThinkOption = CliOptions.Duration("--think", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), "mean pause between a user's actions");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [UsersOption, GroupSizeOption, DurationOption, ThinkOption];

    public static MixedOptions From(ParseResult args) => new()
    {
        Users = args.GetValue(UsersOption),
        GroupSize = args.GetValue(GroupSizeOption),
        Duration = args.GetValue(DurationOption),
        Think = args.GetValue(ThinkOption),
    };
}
