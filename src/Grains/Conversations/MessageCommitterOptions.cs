using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>Settings of the silo's message committer (section <c>TeamTalk:Committer</c>).</summary>
public sealed class MessageCommitterOptions
{
    public const string Section = "TeamTalk:Committer";

    /// <summary>Most messages in one transaction. Messages that arrive while a transaction runs form the next batch.</summary>
    [Range(1, 5000)]
    public int MaxBatchMessages { get; set; } = 500;

    /// <summary>Messages waiting for a transaction before senders are slowed down.</summary>
    [Range(100, 1_000_000)]
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>
    /// The longest a shallow batch waits for more messages before its transaction (microseconds; 0 = never wait), when
    /// the arrival rate says more are coming and the machine is idle (<see cref="CommitPacer"/>). It adds at most this
    /// to a message's acknowledgement; it saves transactions at moderate rates, where each would hold one or two. At
    /// 900 msgs/s on a quiet machine (interleaved runs): 3.2–3.4 messages per transaction instead of 1.5, server CPU
    /// per message 818–847 µs instead of 1,077–1,110, ack p50 4.9 ms instead of 2.3–2.5 (docs/benchmarks.md, "Everyday load").
    /// </summary>
    [Range(0, 20_000)]
    public int MaxLingerMicroseconds { get; set; } = 2000;

    /// <summary>
    /// Above this arrival rate (messages per second) a batch never waits: batches fill by themselves, and near the
    /// machine's limit the extra wake-ups cost throughput (docs/benchmarks.md, "Everyday load").
    /// </summary>
    [Range(0, 1_000_000)]
    public int LingerMaxRate { get; set; } = 3000;

    /// <summary>A batch with at least this many messages never waits.</summary>
    [Range(1, 5000)]
    public int LingerTargetMessages { get; set; } = 8;
}
