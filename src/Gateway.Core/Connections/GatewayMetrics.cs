using System.Diagnostics.Metrics;
using TeamTalk.Orleans.Hosting;
using TeamTalk.Orleans.Grains.Models;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>The result of a login attempt, as counted by <c>teamtalk.gateway.logins</c>.</summary>
internal enum LoginMetric
{
    Success,
    WrongCredentials,
    TooManyFailures,
    DatabaseUnavailable,
    ClusterError,
}

/// <summary>Why a packet or connection was refused, as counted by <c>teamtalk.gateway.rejected</c>.</summary>
internal enum RejectMetric
{
    /// <summary>A body that is no protobuf of the command, lacks a required field or holds an undefined enum value.</summary>
    Malformed,

    /// <summary>A command id no handler serves.</summary>
    UnknownCommand,

    /// <summary>A command other than heartbeat and login before login (the connection closes).</summary>
    BeforeLogin,

    /// <summary>A frame whose header is broken (the connection closes).</summary>
    BadFrame,

    /// <summary>A chat message that fails validation (addressing, text, audio).</summary>
    InvalidMessage,

    /// <summary>More chat messages waiting for their commit than a connection may have.</summary>
    QueueFull,

    /// <summary>Chat messages over the per-connection rate limit.</summary>
    RateLimited,

    /// <summary>A message to an unknown user or to a group the sender is not a member of.</summary>
    UnknownReceiver,

    /// <summary>Anything else a handler refuses (a second login, a request on a kicked connection, a bad file request…).</summary>
    InvalidRequest,
}

/// <summary>
/// The gateway's instruments: meter <c>TeamTalk.Gateway</c> (connections, users online, logins by result, rejected
/// packets by reason, delivery acks) and meter <c>TeamTalk.Messages</c> (chat messages received, acknowledged and failed
/// by type, ack latency). Every tag is a fixed string chosen from a small set, so recording allocates nothing.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    private static readonly KeyValuePair<string, object?>[] LoginTags = [.. Enum.GetNames<LoginMetric>().Select(n => Tag("result", Snake(n)))];
    private static readonly KeyValuePair<string, object?>[] RejectTags = [.. Enum.GetNames<RejectMetric>().Select(n => Tag("reason", Snake(n)))];
    private static readonly KeyValuePair<string, object?> SingleText = Tag("type", "single_text");
    private static readonly KeyValuePair<string, object?> SingleAudio = Tag("type", "single_audio");
    private static readonly KeyValuePair<string, object?> GroupText = Tag("type", "group_text");
    private static readonly KeyValuePair<string, object?> GroupAudio = Tag("type", "group_audio");
    private static readonly KeyValuePair<string, object?> Single = Tag("session_type", "single");
    private static readonly KeyValuePair<string, object?> Group = Tag("session_type", "group");

    private readonly Meter gateway;
    private readonly Meter messages;
    private readonly TimeProvider time;
    private readonly Counter<long> logins;
    private readonly Counter<long> rejected;
    private readonly Counter<long> deliveryAcks;
    private readonly Counter<long> received;
    private readonly Counter<long> acked;
    private readonly Counter<long> failed;
    private readonly Histogram<double> ackLatency;

    /// <param name="meters">The host's meter factory; null for meters of their own (unit tests).</param>
    /// <param name="registry">The connections to count; null for none (unit tests).</param>
    /// <param name="time">The clock of the ack latency.</param>
    public GatewayMetrics(IMeterFactory? meters, ConnectionRegistry? registry, TimeProvider time)
    {
        this.time = time;
        gateway = meters?.Create(TeamTalkTelemetry.GatewayMeter) ?? new Meter(TeamTalkTelemetry.GatewayMeter);
        messages = meters?.Create(TeamTalkTelemetry.MessagesMeter) ?? new Meter(TeamTalkTelemetry.MessagesMeter);
        if (registry is not null)
        {
            gateway.CreateObservableUpDownCounter("teamtalk.gateway.connections", () => registry.Count, "{connection}", "Open client TCP connections");
            gateway.CreateObservableUpDownCounter("teamtalk.gateway.users_online", () => registry.LoggedInCount, "{connection}", "Logged-in client connections");
        }

        logins = gateway.CreateCounter<long>("teamtalk.gateway.logins", "{login}", "Login attempts by result");
        rejected = gateway.CreateCounter<long>("teamtalk.gateway.rejected", "{packet}", "Packets refused (and connections closed for bad input) by reason");
        deliveryAcks = gateway.CreateCounter<long>("teamtalk.gateway.delivery_acks", "{ack}", "CID_MSG_DATA_ACK received from receivers");
        received = messages.CreateCounter<long>("teamtalk.messages.received", "{message}", "Chat messages accepted for commit, by type");
        acked = messages.CreateCounter<long>("teamtalk.messages.acked", "{message}", "Chat messages committed and acknowledged to their sender, by type");
        failed = messages.CreateCounter<long>("teamtalk.messages.failed", "{message}", "Chat messages not acknowledged because the cluster call failed, by type");
        ackLatency = messages.CreateHistogram("teamtalk.messages.ack_latency", "s", "From reading a chat message to queueing its acknowledgement, by type",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>A timestamp to measure the ack latency from.</summary>
    public long Timestamp() => time.GetTimestamp();

    public void Login(LoginMetric result) => logins.Add(1, LoginTags[(int)result]);

    public void Rejected(RejectMetric reason, int count = 1) => rejected.Add(count, RejectTags[(int)reason]);

    public void DeliveryAck(SessionType session) => deliveryAcks.Add(1, session == SessionType.Group ? Group : Single);

    public void Received(MessageType type) => received.Add(1, TypeTag(type));

    public void Acked(MessageType type, long receivedAt)
    {
        var tag = TypeTag(type);
        acked.Add(1, tag);
        ackLatency.Record(time.GetElapsedTime(receivedAt).TotalSeconds, tag);
    }

    public void Failed(MessageType type) => failed.Add(1, TypeTag(type));

    public void Dispose()
    {
        gateway.Dispose();
        messages.Dispose();
    }

    private static KeyValuePair<string, object?> TypeTag(MessageType type) => type switch
    {
        MessageType.SingleText => SingleText,
        MessageType.SingleAudio => SingleAudio,
        MessageType.GroupText => GroupText,
        _ => GroupAudio,
    };

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}
