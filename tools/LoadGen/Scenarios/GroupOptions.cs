using TeamTalk.Orleans.LoadGen.Cli;

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

    public static GroupOptions Parse(ParsedArgs args)
    {
        var options = new GroupOptions
        {
            Groups = args.Int("groups", 10, 1, 10_000),
            Members = args.Int("members", 10, 2, 1000),
            Rate = args.Double("rate", 1, 0.01, 1000),
            MessageBytes = args.Int("message-bytes", 40, 1, 4000),
            Setup = args.String("group-setup", "protocol"),
            Warmup = args.Duration("warmup", TimeSpan.FromSeconds(3), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            Duration = args.Duration("duration", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30)),
            Drain = args.Duration("drain", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
        };
        return options.Setup is "protocol" or "db"
            ? options
            : throw new UsageException($"--group-setup must be protocol or db, not '{options.Setup}'");
    }
}
