using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;

namespace TeamTalk.Orleans.Grains.Push.Fcm;

/// <summary>Firebase Cloud Messaging, HTTP v1 API (section <c>TeamTalk:Push:Fcm</c>): OAuth2 with a service account.</summary>
public sealed class FcmOptions : PushProviderOptions
{
    public const string Section = "TeamTalk:Push:Fcm";

    /// <summary>The service account's JSON key file (fields <c>project_id</c>, <c>client_email</c>, <c>private_key</c>, <c>token_uri</c>).</summary>
    public string ServiceAccountPath { get; set; } = string.Empty;

    /// <summary>The FCM API's base address; messages go to <c>{Endpoint}/v1/projects/{project_id}/messages:send</c>.</summary>
    public Uri Endpoint { get; set; } = new("https://fcm.googleapis.com");

    /// <summary>Where access tokens are fetched; null: the service account's <c>token_uri</c>.</summary>
    public Uri? TokenUri { get; set; }

    /// <summary>The notification's title; empty: none (the phone shows the app's name).</summary>
    public string Title { get; set; } = string.Empty;

    protected override IEnumerable<ValidationResult> ValidateProvider()
    {
        if (!File.Exists(ServiceAccountPath))
        {
            yield return new ValidationResult($"ServiceAccountPath '{ServiceAccountPath}' is not a file", [nameof(ServiceAccountPath)]);
        }
        else if (Check(ServiceAccountPath, TokenUri) is { } problem)
        {
            yield return new ValidationResult($"ServiceAccountPath '{ServiceAccountPath}': {problem}", [nameof(ServiceAccountPath)]);
        }

        if (!Endpoint.IsAbsoluteUri || TokenUri is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("Endpoint and TokenUri must be absolute URIs", [nameof(Endpoint), nameof(TokenUri)]);
        }
    }

    /// <summary>Why the service account file is unusable, or null.</summary>
    private static string? Check(string path, Uri? tokenUri)
    {
        try
        {
            var account = FcmServiceAccount.Read(path);
            if (tokenUri is null && account.TokenUri is null)
            {
                return "no token_uri (and no TokenUri set)";
            }

            using var rsa = RSA.Create();
            rsa.ImportFromPem(account.PrivateKey);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or ArgumentException or FormatException or CryptographicException)
        {
            return ex.Message;
        }
    }
}
