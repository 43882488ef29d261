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

    /// <summary>
    /// The second user of each pair never logs in: it holds a push token (stored before the run, <see cref="ReceiverDevice"/>),
    /// so every message to it is a push notification; only the first user sends.
    /// </summary>
    public bool OfflineReceivers { get; init; }

    /// <summary>
    /// Instead of messages, each sender asks for its conversation's latest message id at the same rate
    /// (<c>CID_MSG_GET_LATEST_MSG_ID_REQ</c>: one call from the gateway to the Relation grain and back, no database, no
    /// push); the answer counts as the ack. What one request costs the servers at that rate: the floor under a message,
    /// which also needs its commit and a push.
    /// </summary>
    public bool Probe { get; init; }

    /// <summary>Offline receivers hold push tokens (not <c>--receiver-device none</c>).</summary>
    public bool ReceiversHoldTokens => OfflineReceivers && ReceiverDevice != "none";

    /// <summary>The phone kind of the offline receivers' tokens: "ios" (APNs), "android" (FCM), or "none" (no token: no push, the control).</summary>
    public string ReceiverDevice { get; init; } = "ios";

    /// <summary>A fake push provider's counters (tools/PushFake, GET /stats), read at the window's start and end; null: none.</summary>
    public Uri? PushStats { get; init; }

    public int MessageBytes { get; init; } = 40;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    public int SendersPerPair => OneWay || OfflineReceivers ? 1 : 2;

    /// <summary>The client type stored with the offline receivers' tokens (0x11 iOS, 0x12 Android).</summary>
    public uint ReceiverClientType => ReceiverDevice == "android" ? 0x12u : 0x11u;

    private static readonly Option<int> PairsOption = CliOptions.Count("--pairs", 100, 1, 100_000, "pairs of users chatting 1:1");
    private static readonly Option<double> RateOption = CliOptions.Number("--rate", 18, 0, 10_000, "msgs/s each sending user sends (open loop; latency from the intended send time); 0: flat-out with --inflight");
    private static readonly Option<int> InflightOption = CliOptions.Count("--inflight", 4, 1, 256, "unacked messages per sender with --rate 0 (closed loop)");
    private static readonly Option<bool> OneWayOption = CliOptions.Flag("--one-way", "only the first user of each pair sends (default: both)");
    private static readonly Option<bool> OfflineReceiversOption = CliOptions.Flag("--offline-receivers", "the second user of each pair stays offline with a push token (stored with --db before the run; none with --receiver-device none): every message is a push; only the first user sends");
    private static readonly Option<bool> ProbeOption = CliOptions.Flag("--probe", "send latest-message-id requests instead of messages (gateway → Relation grain → gateway, no database, no push); the answer is the ack: what one request round trip costs");
    private static readonly Option<string> ReceiverDeviceOption = new("--receiver-device")
    {
        Description = "phone kind of the offline receivers' tokens: ios (APNs), android (FCM), or none (no token, no push: the control)",
        DefaultValueFactory = _ => "ios",
    };

    private static readonly Option<Uri?> PushStatsOption = new("--push-stats")
    {
        Description = "a fake push provider's GET /stats URL (tools/PushFake), read at the window's start and end: pushes/s",
        CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : Refuse(r, $"option --push-stats: '{r.Tokens[0].Value}' is not an http(s) URL"),
    };

    private static readonly Option<int> MessageBytesOption = CliOptions.Count("--message-bytes", 40, 1, 4000, "text size of each message");
    private static readonly Option<TimeSpan> WarmupOption = CliOptions.Duration("--warmup", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromMinutes(5), "sending before the measured window");
    private static readonly Option<TimeSpan> DurationOption = CliOptions.Duration("--duration", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), "the measured window");
    private static readonly Option<TimeSpan> DrainOption = CliOptions.Duration("--drain", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMinutes(5), "longest wait for acks and deliveries after the window");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [PairsOption, RateOption, InflightOption, OneWayOption, OfflineReceiversOption, ProbeOption, ReceiverDeviceOption, PushStatsOption, MessageBytesOption, WarmupOption, DurationOption, DrainOption];

    public static ChatOptions From(ParseResult args)
    {
        var device = args.GetValue(ReceiverDeviceOption) ?? "ios";
        if (device is not ("ios" or "android" or "none"))
        {
            throw new UsageException($"--receiver-device is ios, android or none, not '{device}'");
        }

        if (args.GetValue(ProbeOption) && args.GetValue(OfflineReceiversOption))
        {
            throw new UsageException("--probe sends no messages: it does not go with --offline-receivers");
        }

        return new()
        {
            Pairs = args.GetValue(PairsOption),
            Rate = args.GetValue(RateOption),
            Inflight = args.GetValue(InflightOption),
            OneWay = args.GetValue(OneWayOption),
            OfflineReceivers = args.GetValue(OfflineReceiversOption),
            Probe = args.GetValue(ProbeOption),
            ReceiverDevice = device,
            PushStats = args.GetValue(PushStatsOption),
            MessageBytes = args.GetValue(MessageBytesOption),
            Warmup = args.GetValue(WarmupOption),
            Duration = args.GetValue(DurationOption),
            Drain = args.GetValue(DrainOption),
        };
    }

    private static Uri? Refuse(System.CommandLine.Parsing.ArgumentResult result, string error)
    {
        result.AddError(error);
        return null;
    }
}
