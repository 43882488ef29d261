using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Push.Apns;

/// <summary>Apple push (section <c>TeamTalk:Push:Apns</c>): token authentication with an ES256 <c>.p8</c> key.</summary>
public sealed class ApnsOptions : IValidatableObject, IPushRetrySettings
{
    public const string Section = "TeamTalk:Push:Apns";

    /// <summary>Off by default: iOS tokens then get no pushes (counted as skipped, reason no_provider).</summary>
    public bool Enabled { get; set; }

    /// <summary>https://api.push.apple.com (production) or https://api.sandbox.push.apple.com (development builds).</summary>
    public Uri Endpoint { get; set; } = new("https://api.push.apple.com");

    /// <summary>The <c>.p8</c> file Apple gave with the key (PKCS#8 PEM).</summary>
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>The key's id (10 characters).</summary>
    public string KeyId { get; set; } = string.Empty;

    /// <summary>The developer team id (10 characters).</summary>
    public string TeamId { get; set; } = string.Empty;

    /// <summary>The app's bundle id (<c>apns-topic</c>).</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Requests in flight at once (HTTP/2 streams).</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Retries of a push answered 429, 5xx or not at all (with exponential backoff, honouring Retry-After).</summary>
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

        if (string.IsNullOrWhiteSpace(KeyId) || string.IsNullOrWhiteSpace(TeamId) || string.IsNullOrWhiteSpace(Topic))
        {
            yield return new ValidationResult("KeyId, TeamId and Topic are required when APNs is enabled", [nameof(KeyId), nameof(TeamId), nameof(Topic)]);
        }

        if (!File.Exists(KeyPath))
        {
            yield return new ValidationResult($"KeyPath '{KeyPath}' is not a file", [nameof(KeyPath)]);
        }

        if (!Endpoint.IsAbsoluteUri)
        {
            yield return new ValidationResult("Endpoint must be an absolute URI", [nameof(Endpoint)]);
        }

        if (RetryDelay <= TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("RetryDelay and AttemptTimeout must be positive", [nameof(RetryDelay), nameof(AttemptTimeout)]);
        }
    }
}
