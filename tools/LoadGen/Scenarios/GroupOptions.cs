using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>group</c> scenario.</summary>
internal sealed record GroupOptions
{
    public int Groups { get; init; } = 10;

    public int Members { get; init; } = 10;

    /// <summary>Messages per second each member sends to its group.</summary>
    public double Rate { get; init; } = 1;

    public int MessageBytes { get; init; } = 40;

    /// <summary>How groups come to exist: <c>protocol</c> (CID_GROUP_CREATE_REQUEST, temporary groups, as clients do) or <c>db</c> (IMGroup/IMGroupMember rows).</summary>
    public string Setup { get; init; } = "protocol";

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    private static readonly Option<int> GroupsOption = CliOptions.Count("--groups", 10, 1, 10_000, "groups");
    private static readonly Option<int> MembersOption = CliOptions.Count("--members", 10, 2, 1000, "members of each group");
    private static readonly Option<double> RateOption = CliOptions.Number("--rate", 1, 0.01, 1000, "msgs/s each member sends to its group");
    private static readonly Option<int> MessageBytesOption = CliOptions.Count("--message-bytes", 40, 1, 4000, "text size of each message");
    private static readonly Option<string> SetupOption = CliOptions.Text("--group-setup", "protocol", "protocol (create requests, as clients do) or db (IMGroup rows; needs --db)");
    private static readonly Option<TimeSpan> WarmupOption = CliOptions.Duration("--warmup", TimeSpan.FromSeconds(3), TimeSpan.Zero, TimeSpan.FromMinutes(5), "sending before the measured window");
    private static readonly Option<TimeSpan> DurationOption = CliOptions.Duration("--duration", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), "the measured window");
    private static readonly Option<TimeSpan> DrainOption = CliOptions.Duration("--drain", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMinutes(5), "longest wait for deliveries after the window");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [GroupsOption, MembersOption, RateOption, MessageBytesOption, SetupOption, WarmupOption, DurationOption, DrainOption];

    public static GroupOptions From(ParseResult args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new GroupOptions
        {
            Groups = args.GetValue(GroupsOption),
            Members = args.GetValue(MembersOption),
            Rate = args.GetValue(RateOption),
            MessageBytes = args.GetValue(MessageBytesOption),
            Setup = args.GetValue(SetupOption)!,
            Warmup = args.GetValue(WarmupOption),
            Duration = args.GetValue(DurationOption),
            Drain = args.GetValue(DrainOption),
        };
        return options.Setup is "protocol" or "db"
            ? options
            : throw new UsageException($"--group-setup must be protocol or db, not '{options.Setup}'");
    }
}
