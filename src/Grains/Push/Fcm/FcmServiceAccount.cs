using System.Text.Json;

namespace TeamTalk.Orleans.Grains.Push.Fcm;

/// <summary>The fields of a Google service account's JSON key file that FCM needs.</summary>
/// <param name="ProjectId">The Firebase project (<c>project_id</c>).</param>
/// <param name="ClientEmail">The account (<c>client_email</c>), the assertion's issuer.</param>
/// <param name="PrivateKey">Its RSA key (<c>private_key</c>, PKCS#8 PEM).</param>
/// <param name="TokenUri">Where access tokens are fetched (<c>token_uri</c>); null when the file has none.</param>
public sealed record FcmServiceAccount(string ProjectId, string ClientEmail, string PrivateKey, Uri? TokenUri)
{
    /// <summary>Reads the file; throws <see cref="InvalidDataException"/> when a required field is missing.</summary>
    public static FcmServiceAccount Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("not a JSON object");
        }

        var tokenUri = Text(root, "token_uri");
        return new FcmServiceAccount(
            Required(root, "project_id"),
            Required(root, "client_email"),
            Required(root, "private_key"),
            string.IsNullOrEmpty(tokenUri) ? null : new Uri(tokenUri, UriKind.Absolute));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Required(JsonElement root, string name) =>
        Text(root, name) is { Length: > 0 } value ? value : throw new InvalidDataException($"no {name}");
}
