using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TeamTalk.Orleans.Grains.Push.Fcm;

/// <summary>
/// The OAuth2 access token FCM wants in <c>Authorization: Bearer</c>, got with the service account's key (RFC 7523):
/// an RS256 JWT assertion <c>{iss: client_email, scope: firebase.messaging, aud: token URI, iat, exp: iat + 1 h}</c>
/// POSTed to the token URI. The token is kept until <see cref="RefreshMargin"/> before its <c>expires_in</c>; one
/// refresh runs at a time and concurrent senders wait for it and share its token.
/// </summary>
public sealed class FcmAccessToken : IDisposable
{
    /// <summary>The named HTTP client of the token endpoint.</summary>
    public const string ClientName = "fcm-oauth";

    /// <summary>The scope FCM's send API needs.</summary>
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    /// <summary>How long before its expiry a token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromHours(1);

    private readonly IHttpClientFactory clients;
    private readonly RSA key;
    private readonly string clientEmail;
    private readonly Uri tokenUri;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim refresh = new(1, 1);
    private volatile FcmCachedToken? current;

    /// <param name="clients">Makes the <see cref="ClientName"/> client.</param>
    /// <param name="account">The service account (key, email).</param>
    /// <param name="tokenUri">Where tokens are fetched (the assertion's audience).</param>
    /// <param name="time">The clock (<c>iat</c>, expiry).</param>
    public FcmAccessToken(IHttpClientFactory clients, FcmServiceAccount account, Uri tokenUri, TimeProvider time)
    {
        this.clients = clients;
        key = RSA.Create();
        key.ImportFromPem(account.PrivateKey);
        clientEmail = account.ClientEmail;
        this.tokenUri = tokenUri;
        this.time = time;
    }

    /// <summary>
    /// A valid access token: the cached one, or a new one. Throws <see cref="HttpRequestException"/> when the token
    /// endpoint cannot be reached or refuses.
    /// </summary>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(current) is { } token)
        {
            return token;
        }

        await refresh.WaitAsync(cancellationToken);
        try
        {
            // Another sender may have refreshed it while this one waited.
            if (Fresh(current) is { } shared)
            {
                return shared;
            }

            var fetched = await FetchAsync(cancellationToken);
            current = fetched;
            return fetched.Token;
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>FCM refused <paramref name="token"/> (401): it is not used again (a newer one is kept).</summary>
    public void Invalidate(string token)
    {
        var cached = current;
        if (cached is not null && cached.Token == token)
        {
            Interlocked.CompareExchange(ref current, null, cached);
        }
    }

    public void Dispose()
    {
        key.Dispose();
        refresh.Dispose();
    }

    /// <summary>The signed JWT assertion for a token request made at <paramref name="now"/>.</summary>
    public string Assertion(DateTimeOffset now)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" });
        var iat = now.ToUnixTimeSeconds();
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = clientEmail,
            ["scope"] = Scope,
            ["aud"] = tokenUri.AbsoluteUri,
            ["iat"] = iat,
            ["exp"] = iat + (long)AssertionLifetime.TotalSeconds,
        });
        var signed = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    private string? Fresh(FcmCachedToken? cached) => cached is not null && time.GetUtcNow() < cached.RefreshAt ? cached.Token : null;

    private async Task<FcmCachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = Assertion(now),
        });
        using var response = await clients.CreateClient(ClientName).PostAsync(tokenUri, form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"token endpoint answered {(int)response.StatusCode}: {Shorten(body)}", null, response.StatusCode);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var token = json.RootElement.GetProperty("access_token").GetString();
            var expiresIn = json.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var seconds) ? seconds : 3600;
            if (string.IsNullOrEmpty(token) || expiresIn <= 0)
            {
                throw new HttpRequestException("token endpoint answered without a usable access_token");
            }

            var lifetime = TimeSpan.FromSeconds(expiresIn);
            // A short-lived token is kept for half its life rather than not at all.
            var margin = lifetime > RefreshMargin * 2 ? RefreshMargin : lifetime / 2;
            return new FcmCachedToken(token, now + lifetime - margin);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new HttpRequestException("token endpoint answered unreadable JSON: " + ex.Message, ex);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];
}
