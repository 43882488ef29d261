using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>The settings every push provider has (APNs, FCM): on/off, concurrency, and the retries of its HTTP client.</summary>
public abstract class PushProviderOptions : IValidatableObject
{
    /// <summary>Off by default: the provider's phones then get no pushes (counted as skipped, reason no_provider).</summary>
    public bool Enabled { get; set; }

    /// <summary>Requests in flight at once.</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Retries of a push answered 429, 5xx or not at all (exponential backoff with jitter, honouring Retry-After); 0: none.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (RetryDelay <= TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("RetryDelay and AttemptTimeout must be positive", [nameof(RetryDelay), nameof(AttemptTimeout)]);
        }

        foreach (var result in ValidateProvider())
        {
            yield return result;
        }
    }

    /// <summary>The provider's own checks (called only when enabled).</summary>
    protected abstract IEnumerable<ValidationResult> ValidateProvider();
}
