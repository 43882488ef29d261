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
}
