using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>Settings of the silo's push service (section <c>TeamTalk:Push</c>).</summary>
public sealed class PushOptions : IValidatableObject
{
    public const string Section = "TeamTalk:Push";

    /// <summary>Committed messages waiting for the push decision; beyond it new ones are refused, logged and counted (never the sender's ack).</summary>
    [Range(100, 1_000_000)]
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Most messages decided together (one token query, one user query for all their receivers).</summary>
    [Range(1, 5000)]
    public int MaxDecisionBatch { get; set; } = 256;

    /// <summary>Notifications waiting for one provider; when full the decision waits (back-pressure).</summary>
    [Range(10, 1_000_000)]
    public int ProviderQueueCapacity { get; set; } = 10_000;

    /// <summary>Most notifications handed to a provider in one call.</summary>
    [Range(1, 1000)]
    public int ProviderBatch { get; set; } = 100;

    /// <summary>Start of the push-shield quiet hours (local time of <see cref="TimeZone"/>), as the original: 22:00.</summary>
    public TimeSpan QuietFrom { get; set; } = TimeSpan.FromHours(22);

    /// <summary>End (exclusive) of the quiet hours: 08:00 (the original's 07:59 inclusive).</summary>
    public TimeSpan QuietUntil { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The time zone of the quiet hours (an IANA or Windows id); empty: the server's local zone.</summary>
    public string TimeZone { get; set; } = string.Empty;

    /// <summary>
    /// The clients' text key (behaviour.md 1.5, 32 ASCII characters; TeamTalk's clients use
    /// <c>12345678901234567890123456789012</c>). Empty: pushes of text messages carry a generic text.
    /// </summary>
    public string AesKey { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (QuietFrom < TimeSpan.Zero || QuietFrom >= TimeSpan.FromDays(1) || QuietUntil < TimeSpan.Zero || QuietUntil >= TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("QuietFrom and QuietUntil are times of day (00:00 to 23:59:59)", [nameof(QuietFrom), nameof(QuietUntil)]);
        }

        if (AesKey.Length is not (0 or 32) || AesKey.Any(c => c > 0x7f))
        {
            yield return new ValidationResult("AesKey is empty or 32 ASCII characters", [nameof(AesKey)]);
        }

        if (TimeZone.Length > 0 && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"unknown time zone '{TimeZone}'", [nameof(TimeZone)]);
        }
    }
}
