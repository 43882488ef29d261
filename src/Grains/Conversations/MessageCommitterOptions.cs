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
    /// to a message's acknowledgement; it saves transactions at moderate rates, where each would hold one or two. Off by
    /// default until an A/B on a quiet machine shows it pays (docs/benchmarks.md, "Everyday load"); 2,000 is the bound meant.
    /// </summary>
    [Range(0, 20_000)]
    public int MaxLingerMicroseconds { get; set; }

    /// <summary>A batch with at least this many messages never waits.</summary>
    [Range(1, 5000)]
    public int LingerTargetMessages { get; set; } = 8;
}
