using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TeamTalk.Orleans.Grains.Push.Apns;

/// <summary>
/// The provider token APNs wants in <c>authorization: bearer</c>: a JWT signed ES256 with the team's key, header
/// <c>{alg, kid}</c>, claims <c>{iss: team, iat}</c>. Apple refuses one older than an hour and throttles one renewed
/// more often than every 20 minutes, so it is made once and reused for <see cref="Lifetime"/>.
/// </summary>
public sealed class ApnsToken : IDisposable
{
    /// <summary>How long one token is used.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(50);

    private readonly ECDsa key;
    private readonly string keyId;
    private readonly string teamId;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private (string Jwt, DateTimeOffset Made)? current;

    /// <param name="pem">The <c>.p8</c> key (PKCS#8 PEM, P-256).</param>
    /// <param name="keyId">The key's id (<c>kid</c>).</param>
    /// <param name="teamId">The team id (<c>iss</c>).</param>
    /// <param name="time">The clock (<c>iat</c>, renewal).</param>
    public ApnsToken(string pem, string keyId, string teamId, TimeProvider time)
    {
        key = ECDsa.Create();
        key.ImportFromPem(pem);
        this.keyId = keyId;
        this.teamId = teamId;
        this.time = time;
    }

    /// <summary>The current token, made anew once <see cref="Lifetime"/> has passed.</summary>
    public string Current
    {
        get
        {
            var now = time.GetUtcNow();
            lock (gate)
            {
                if (current is not { } c || now - c.Made >= Lifetime)
                {
                    current = c = (Make(now), now);
                }

                return c.Jwt;
            }
        }
    }

    public void Dispose() => key.Dispose();

    private string Make(DateTimeOffset now)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["kid"] = keyId });
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["iss"] = teamId, ["iat"] = now.ToUnixTimeSeconds() });
        var signed = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        // IEEE P1363 (r || s, 64 bytes) is the JWS form of ES256.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signed + "." + Base64Url.EncodeToString(signature);
    }
}
