using System.Security.Cryptography;
using System.Text;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// The accepted back-office keys. A presented key is compared with every configured one in constant time (their SHA-256
/// digests, so neither the length nor the position of the first differing byte shows in the time taken).
/// </summary>
internal sealed class AdminApiKeyRing
{
    /// <summary>Shortest accepted key: shorter ones are refused at start-up.</summary>
    public const int MinimumKeyLength = 16;

    private readonly byte[][] digests;

    private AdminApiKeyRing(IEnumerable<string> keys) => digests = [.. keys.Select(Digest)];

    /// <summary>True when at least one key is configured (the API listens only then).</summary>
    public bool Enabled => digests.Length > 0;

    /// <summary>
    /// The keys of <paramref name="options"/>: the configured list and the key file's content. Throws
    /// <see cref="InvalidOperationException"/> naming the setting when the file cannot be read or is empty, or a key is
    /// too short.
    /// </summary>
    public static AdminApiKeyRing Load(AdminApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = options.AdminApiKeys.Select(k => k.Trim()).Where(k => k.Length > 0).ToList();
        if (options.AdminApiKeyFile.Length > 0)
        {
            string fromFile;
            try
            {
                fromFile = File.ReadAllText(options.AdminApiKeyFile).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{AdminApiOptions.Section}:AdminApiKeyFile {options.AdminApiKeyFile} cannot be read: {ex.Message}", ex);
            }

            if (fromFile.Length == 0)
            {
                throw new InvalidOperationException($"{AdminApiOptions.Section}:AdminApiKeyFile {options.AdminApiKeyFile} is empty");
            }

            keys.Add(fromFile);
        }

        if (keys.Exists(k => k.Length < MinimumKeyLength))
        {
            throw new InvalidOperationException($"{AdminApiOptions.Section}:AdminApiKeys: every key must have at least {MinimumKeyLength} characters");
        }

        return new AdminApiKeyRing(keys);
    }

    /// <summary>True when <paramref name="presented"/> is one of the keys (every key compared, in constant time).</summary>
    public bool Matches(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var digest = Digest(presented);
        var match = false;
        foreach (var key in digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return match;
    }

    /// <summary>The key of an <c>Authorization: Bearer &lt;key&gt;</c> header; null when there is none.</summary>
    public static string? BearerKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
