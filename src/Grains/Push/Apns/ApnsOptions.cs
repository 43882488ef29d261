using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Push.Apns;

/// <summary>Apple push (section <c>TeamTalk:Push:Apns</c>): token authentication with an ES256 <c>.p8</c> key.</summary>
public sealed class ApnsOptions : PushProviderOptions
{
    public const string Section = "TeamTalk:Push:Apns";

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

    protected override IEnumerable<ValidationResult> ValidateProvider()
    {
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
    }
}
