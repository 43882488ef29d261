namespace TeamTalk.Orleans.Hosting;

/// <summary>
/// Names of our meters and activity sources (docs/operations.md, "Metrics and traces", lists every instrument). One
/// meter per area; every name starts with <c>TeamTalk.</c>, so one wildcard subscribes to all of them.
/// </summary>
public static class TeamTalkTelemetry
{
    /// <summary>Gateway: connections, logins, rejected packets, delivery acks, pushes written to clients.</summary>
    public const string GatewayMeter = "TeamTalk.Gateway";

    /// <summary>Gateway: chat messages received, acknowledged and failed by type, and their ack latency.</summary>
    public const string MessagesMeter = "TeamTalk.Messages";

    /// <summary>Silo: the message committer (batch sizes, commit latency, queue depth) and conversation delivery (fan-out, latency).</summary>
    public const string ConversationsMeter = "TeamTalk.Conversations";

    /// <summary>Silo: push notifications (sent, failed, skipped, dropped, queue depth).</summary>
    public const string PushMeter = "TeamTalk.Push";

    /// <summary>Orleans' own meter (grain calls, activations, messaging, membership).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Gateway: one activity per client command (named after the command).</summary>
    public const string GatewaySource = "TeamTalk.Gateway";

    /// <summary>Orleans' activity sources (with activity propagation on, grain calls join the caller's trace).</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];
}
