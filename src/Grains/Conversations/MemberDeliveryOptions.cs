using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// How a conversation hands its committed messages to its members' User grains (section <c>TeamTalk:Delivery</c>;
/// see <see cref="MemberDelivery"/>).
/// </summary>
public sealed class MemberDeliveryOptions
{
    public const string Section = "TeamTalk:Delivery";

    /// <summary>
    /// How long a run waits for a member's User grain before that member's delivery goes on in the background (and the
    /// member's later runs queue behind it): so long may a slow or lost member hold up the acknowledgement and the
    /// other members.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan HandoffTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait before the first retry of a failed delivery to a member; it doubles up to <see cref="MaxRetryBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two retries to one member.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A member whose delivery made no progress for this long gets none of what waits for it (logged and counted;
    /// the messages stay in history and unread counts).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most messages that may wait for one member; beyond it the member's waiting messages are given up as above.</summary>
    [Range(1, 1_000_000)]
    public int MaxBacklog { get; set; } = 10_000;
}
