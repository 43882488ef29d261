using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TeamTalk.Orleans.PushFake;

/// <summary>
/// Loopback stand-ins for Apple's and Google's push services that check what they check, with keys of their own
/// (written to a directory so that a silo can be pointed at them):
/// <list type="bullet">
/// <item>APNs (HTTP/2 only, h2c): <c>POST /3/device/&lt;token&gt;</c>, <c>apns-topic</c>, <c>apns-push-type: alert</c>,
/// a bearer JWT signed ES256 with the <c>.p8</c> key (kid, iss = team, iat within the hour), payload with
/// <c>aps.alert</c> (text) and <c>aps.badge</c> (number).</item>
/// <item>FCM HTTP v1 (HTTP/1.1 and h2c): the OAuth token endpoint (<c>POST /token</c>: JWT-bearer grant, RS256 assertion
/// of the service account: iss, scope, aud, iat, exp) and <c>POST /v1/projects/&lt;project&gt;/messages:send</c> with an
/// access token it issued and a message whose <c>data</c> values are strings.</item>
/// </list>
/// Answers by token: <c>gone…</c> → invalid (APNs 410 Unregistered, FCM 404 UNREGISTERED); <c>slow…</c> → held until
/// <see cref="ReleaseSlow"/> or <see cref="SlowDelay"/>, then 200; anything else → 200. A request failing a check is
/// answered 400 and recorded in <see cref="Refusals"/>. <c>GET /stats</c> (both ports) returns <see cref="FakePushStats"/>.
/// </summary>
public sealed class FakePushServer : IAsyncDisposable
{
    public const string KeyId = "FAKEKEY001";
    public const string TeamId = "FAKETEAM01";
    public const string Topic = "com.mogujie.teamtalk";
    public const string ProjectId = "teamtalk-fake";
    public const string ClientEmail = "push@teamtalk-fake.iam.gserviceaccount.com";
    private const string FcmScope = "https://www.googleapis.com/auth/firebase.messaging";
    private const string FcmError = "type.googleapis.com/google.firebase.fcm.v1.FcmError";

    private readonly ECDsa apnsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA fcmKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, bool> verifiedJwts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> issued = new(StringComparer.Ordinal);
    private readonly bool keepBodies;
    private TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? app;
    private long apns;
    private long fcm;
    private long invalid;
    private long refused;
    private long held;
    private long tokens;

    private FakePushServer(string directory, bool keepBodies)
    {
        Directory = directory;
        this.keepBodies = keepBodies;
        KeyPath = Path.Combine(directory, "apns-fake.p8");
        ServiceAccountPath = Path.Combine(directory, "fcm-fake-account.json");
    }

    /// <summary>Where the keys are (the APNs <c>.p8</c> and the FCM service-account file).</summary>
    public string Directory { get; }

    /// <summary>The APNs key the silo signs with (PKCS#8 PEM, P-256).</summary>
    public string KeyPath { get; }

    /// <summary>The FCM service-account JSON the silo reads (its <c>token_uri</c> is this server's).</summary>
    public string ServiceAccountPath { get; }

    /// <summary>The APNs base address (h2c).</summary>
    public Uri ApnsEndpoint { get; private set; } = null!;

    /// <summary>The FCM base address (token endpoint <c>/token</c>).</summary>
    public Uri FcmEndpoint { get; private set; } = null!;

    /// <summary>How long a <c>slow…</c> token's request is held at most.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Accepted pushes in arrival order (empty when started without keeping bodies).</summary>
    public ConcurrentQueue<FakePush> Accepted { get; } = new();

    /// <summary>Requests of tokens answered "invalid", as (provider, token).</summary>
    public ConcurrentQueue<(string Provider, string Token)> Invalidated { get; } = new();

    /// <summary>Why requests were refused (a check failed); empty when the silo sends what the providers want.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>The counters so far.</summary>
    public FakePushStats Stats => new(Interlocked.Read(ref apns), Interlocked.Read(ref fcm), Interlocked.Read(ref invalid), Interlocked.Read(ref refused), Interlocked.Read(ref held));

    /// <summary>
    /// Writes fresh keys to <paramref name="directory"/> and listens on loopback (port 0: any free port) for APNs and FCM.
    /// <paramref name="keepBodies"/> false: only count (a benchmark's millions of pushes are not kept).
    /// </summary>
    public static async Task<FakePushServer> StartAsync(string directory, int apnsPort = 0, int fcmPort = 0, bool keepBodies = true)
    {
        System.IO.Directory.CreateDirectory(directory);
        var server = new FakePushServer(directory, keepBodies);
        await server.StartAsync(apnsPort, fcmPort);
        return server;
    }

    /// <summary>The silo's settings (<c>TeamTalk:Push:*</c>) that point APNs and FCM here.</summary>
    public IReadOnlyDictionary<string, string> SiloSettings() => new Dictionary<string, string>
    {
        ["TeamTalk:Push:Apns:Enabled"] = "true",
        ["TeamTalk:Push:Apns:Endpoint"] = ApnsEndpoint.AbsoluteUri,
        ["TeamTalk:Push:Apns:KeyPath"] = KeyPath,
        ["TeamTalk:Push:Apns:KeyId"] = KeyId,
        ["TeamTalk:Push:Apns:TeamId"] = TeamId,
        ["TeamTalk:Push:Apns:Topic"] = Topic,
        ["TeamTalk:Push:Fcm:Enabled"] = "true",
        ["TeamTalk:Push:Fcm:Endpoint"] = FcmEndpoint.AbsoluteUri,
        ["TeamTalk:Push:Fcm:ServiceAccountPath"] = ServiceAccountPath,
    };

    /// <summary>Lets every held <c>slow…</c> request answer now; later ones are held again.</summary>
    public void ReleaseSlow() => Interlocked.Exchange(ref release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseSlow();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        apnsKey.Dispose();
        fcmKey.Dispose();
    }

    private async Task StartAsync(int apnsPort, int fcmPort)
    {
        await File.WriteAllTextAsync(KeyPath, apnsKey.ExportPkcs8PrivateKeyPem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? apnsListen = null;
        ListenOptions? fcmListen = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Listen(IPAddress.Loopback, apnsPort, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                apnsListen = l;
            });
            k.Listen(IPAddress.Loopback, fcmPort, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                fcmListen = l;
            });
        });
        app = builder.Build();
        app.MapPost("/3/device/{token}", ServeApnsAsync);
        app.MapPost("/token", ServeTokenAsync);
        app.MapPost("/v1/projects/{project}/{action}", ServeFcmAsync);
        app.MapGet("/stats", () => Results.Json(Stats));
        await app.StartAsync();
        ApnsEndpoint = new Uri($"http://127.0.0.1:{apnsListen!.IPEndPoint!.Port.ToString(CultureInfo.InvariantCulture)}/");
        FcmEndpoint = new Uri($"http://127.0.0.1:{fcmListen!.IPEndPoint!.Port.ToString(CultureInfo.InvariantCulture)}/");
        var account = new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = ProjectId,
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = fcmKey.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = ClientEmail,
            ["client_id"] = "1234567890",
            ["token_uri"] = new Uri(FcmEndpoint, "/token").AbsoluteUri,
        };
        await File.WriteAllTextAsync(ServiceAccountPath, JsonSerializer.Serialize(account));
    }

    private async Task ServeApnsAsync(HttpContext context)
    {
        var request = context.Request;
        var token = (string)request.RouteValues["token"]!;
        var auth = request.Headers.Authorization.ToString();
        var jwt = auth.StartsWith("bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        var problem = request.Protocol != "HTTP/2" ? "not HTTP/2"
            : request.Headers["apns-topic"] != Topic ? "apns-topic"
            : request.Headers["apns-push-type"] != "alert" ? "apns-push-type"
            : jwt is null || !ValidApnsJwt(jwt) ? "jwt"
            : null;
        var (body, payloadProblem) = await ReadAsync(request, b =>
            b.GetProperty("aps") is var aps && aps.GetProperty("alert").ValueKind == JsonValueKind.String && aps.GetProperty("badge").ValueKind == JsonValueKind.Number);
        problem ??= payloadProblem;
        if (problem is not null)
        {
            await RefuseAsync(context, "apns", token, problem, new { reason = "BadRequest" });
            return;
        }

        if (token.StartsWith("gone", StringComparison.Ordinal))
        {
            await InvalidAsync(context, "apns", token, 410, new { reason = "Unregistered", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
            return;
        }

        await HoldIfSlowAsync(token, context.RequestAborted);
        Accept("apns", token, body, ref apns);
        context.Response.Headers["apns-id"] = Guid.NewGuid().ToString();
    }

    private async Task ServeTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var problem = form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" ? "grant_type"
            : !ValidAssertion(form["assertion"].ToString()) ? "assertion"
            : null;
        if (problem is not null)
        {
            Refused("token", problem);
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_grant" });
            return;
        }

        var token = "fake-access-" + Interlocked.Increment(ref tokens).ToString(CultureInfo.InvariantCulture);
        issued[token] = true;
        await context.Response.WriteAsJsonAsync(new { access_token = token, expires_in = 3600, token_type = "Bearer" });
    }

    private async Task ServeFcmAsync(HttpContext context)
    {
        var request = context.Request;
        var auth = request.Headers.Authorization.ToString();
        var bearer = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : string.Empty;
        var problem = (string?)request.RouteValues["project"] != ProjectId ? "project"
            : (string?)request.RouteValues["action"] != "messages:send" ? "action"
            : !issued.ContainsKey(bearer) ? "bearer"
            : null;
        var (body, payloadProblem) = await ReadAsync(request, b =>
            b.GetProperty("message") is var m
            && m.GetProperty("token").ValueKind == JsonValueKind.String
            && m.GetProperty("notification").GetProperty("body").ValueKind == JsonValueKind.String
            && m.GetProperty("data").EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String));
        problem ??= payloadProblem;
        var message = problem is null ? body.GetProperty("message") : default;
        var token = problem is null ? message.GetProperty("token").GetString()! : "?";
        if (problem is not null)
        {
            await RefuseAsync(context, "fcm", token, problem, new { error = new { code = 400, message = "refused by the fake: " + problem, status = "INVALID_ARGUMENT" } });
            return;
        }

        if (token.StartsWith("gone", StringComparison.Ordinal))
        {
            await InvalidAsync(context, "fcm", token, 404, new
            {
                error = new { code = 404, message = "Requested entity was not found.", status = "NOT_FOUND", details = new[] { new Dictionary<string, string> { ["@type"] = FcmError, ["errorCode"] = "UNREGISTERED" } } },
            });
            return;
        }

        await HoldIfSlowAsync(token, context.RequestAborted);
        Accept("fcm", token, message, ref fcm);
        await context.Response.WriteAsJsonAsync(new { name = $"projects/{ProjectId}/messages/{Guid.NewGuid():N}" });
    }

    private static async Task<(JsonElement Body, string? Problem)> ReadAsync(HttpRequest request, Func<JsonElement, bool> valid)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            var body = json.RootElement.Clone();
            return valid(body) ? (body, null) : (body, "payload");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (default, "payload: " + ex.Message);
        }
    }

    private void Accept(string provider, string token, JsonElement body, ref long counter)
    {
        if (keepBodies)
        {
            Accepted.Enqueue(new FakePush(provider, token, body));
        }

        Interlocked.Increment(ref counter);
    }

    private async Task HoldIfSlowAsync(string token, CancellationToken aborted)
    {
        if (!token.StartsWith("slow", StringComparison.Ordinal))
        {
            return;
        }

        Interlocked.Increment(ref held);
        try
        {
            await Task.WhenAny(Volatile.Read(ref release).Task, Task.Delay(SlowDelay, aborted));
        }
        finally
        {
            Interlocked.Decrement(ref held);
        }
    }

    private Task InvalidAsync(HttpContext context, string provider, string token, int status, object answer)
    {
        Invalidated.Enqueue((provider, token));
        Interlocked.Increment(ref invalid);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(answer);
    }

    private Task RefuseAsync(HttpContext context, string provider, string token, string problem, object answer)
    {
        Refused(provider, token + ": " + problem);
        context.Response.StatusCode = 400;
        return context.Response.WriteAsJsonAsync(answer);
    }

    private void Refused(string provider, string why)
    {
        Interlocked.Increment(ref refused);
        Refusals.Enqueue(provider + " " + why);
    }

    /// <summary>ES256 over header.claims with the APNs key; kid, iss and a fresh iat (each distinct token checked once).</summary>
    private bool ValidApnsJwt(string jwt)
    {
        if (verifiedJwts.ContainsKey(jwt))
        {
            return true;
        }

        bool ok;
        try
        {
            ok = Parts(jwt) is (var header, var claims, var signed, var signature)
                && header.GetProperty("alg").GetString() == "ES256"
                && header.GetProperty("kid").GetString() == KeyId
                && claims.GetProperty("iss").GetString() == TeamId
                && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - claims.GetProperty("iat").GetInt64()) < 3600
                && apnsKey.VerifyData(signed, signature, HashAlgorithmName.SHA256);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }

        if (ok)
        {
            verifiedJwts[jwt] = true;
        }

        return ok;
    }

    /// <summary>RS256 with the service account's key; iss, scope, aud (this token endpoint), iat now, exp an hour later.</summary>
    private bool ValidAssertion(string jwt)
    {
        try
        {
            return Parts(jwt) is (var header, var claims, var signed, var signature)
                && header.GetProperty("alg").GetString() == "RS256"
                && claims.GetProperty("iss").GetString() == ClientEmail
                && claims.GetProperty("scope").GetString() == FcmScope
                && claims.GetProperty("aud").GetString() == new Uri(FcmEndpoint, "/token").AbsoluteUri
                && claims.GetProperty("exp").GetInt64() == claims.GetProperty("iat").GetInt64() + 3600
                && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - claims.GetProperty("iat").GetInt64()) < 300
                && fcmKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>A JWT's header and claims, the signed bytes and the signature; null when it is not one.</summary>
    private static (JsonElement Header, JsonElement Claims, byte[] Signed, byte[] Signature)? Parts(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return (header.RootElement.Clone(), claims.RootElement.Clone(), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }
}
