using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Push;
using TeamTalk.Orleans.Grains.Push.Fcm;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// The FCM provider against a loopback server that is both Google's token endpoint (checks the grant type and the JWT
/// assertion: RS256 signature with the test key's public half, iss, scope, aud, iat, exp) and FCM's send API (checks
/// the project in the path, that the bearer token is one it issued and has not revoked, and the JSON message); it
/// answers by token: ok → 200, gone → 404 UNREGISTERED, bad → 400 INVALID_ARGUMENT on message.token, busy → 429 with
/// Retry-After once then 200, down → 500 always.
/// </summary>
public sealed class FcmProviderTests : IAsyncLifetime
{
    private const string ProjectId = "teamtalk-test";
    private const string ClientEmail = "push@teamtalk-test.iam.gserviceaccount.com";

    private readonly RSA key = RSA.Create(2048);
    private readonly RSA publicKey = RSA.Create();
    private readonly ConcurrentQueue<(string Token, string Bearer, JsonElement Body)> accepted = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private readonly ConcurrentQueue<string> refusals = new();
    private readonly ConcurrentDictionary<string, bool> issued = new();
    private readonly List<ServiceProvider> providers = [];
    private readonly string accountPath = Path.Combine(Path.GetTempPath(), "fcm-test-" + Guid.NewGuid().ToString("N") + ".json");
    private TimeProvider clock = TimeProvider.System;
    private int tokenRequests;
    private int unauthorized;
    private string tokenUri = string.Empty;
    private string address = string.Empty;
    private WebApplication? server;

    public async Task InitializeAsync()
    {
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1AndHttp2));
        server = builder.Build();
        server.MapPost("/token", context => ServeTokenAsync(context));
        server.MapPost("/v1/projects/{project}/{action}", context => ServeSendAsync(context));
        await server.StartAsync();
        address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        tokenUri = address.TrimEnd('/') + "/token";

        var account = new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = ProjectId,
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = ClientEmail,
            ["client_id"] = "1234567890",
            ["token_uri"] = tokenUri,
        };
        await File.WriteAllTextAsync(accountPath, JsonSerializer.Serialize(account));
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        key.Dispose();
        publicKey.Dispose();
        File.Delete(accountPath);
    }

    [Fact]
    public async Task A_push_arrives_with_the_payload_and_the_issued_bearer_token()
    {
        var provider = Provider(TimeProvider.System);
        Assert.Equal(DeviceType.Android, provider.Device);
        Assert.Equal("fcm", provider.Name);

        var results = await provider.SendAsync([Notification("ok-1", groupId: 0), Notification("ok-2", groupId: 42)], CancellationToken.None);

        Assert.Empty(refusals);
        Assert.Equal([PushResult.Delivered, PushResult.Delivered], results);
        var message = accepted.Single(a => a.Token == "ok-1").Body.GetProperty("message");
        Assert.Equal("ok-1", message.GetProperty("token").GetString());
        Assert.Equal("TeamTalk", message.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("ann:hello", message.GetProperty("notification").GetProperty("body").GetString());
        var data = message.GetProperty("data");
        Assert.Equal("1", data.GetProperty("msg_type").GetString());
        Assert.Equal("5", data.GetProperty("from_id").GetString());
        Assert.Equal("7", data.GetProperty("badge").GetString());
        Assert.False(data.TryGetProperty("group_id", out _));
        Assert.Equal("high", message.GetProperty("android").GetProperty("priority").GetString());
        Assert.Equal("42", accepted.Single(a => a.Token == "ok-2").Body.GetProperty("message").GetProperty("data").GetProperty("group_id").GetString());
        Assert.Equal(1, tokenRequests);
    }

    [Fact]
    public async Task The_access_token_is_fetched_once_shared_by_concurrent_sends_and_refreshed_before_it_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var provider = Provider(time);

        var first = await provider.SendAsync([.. Enumerable.Range(1, 8).Select(i => Notification($"ok-{i}", 0))], CancellationToken.None);
        var second = await provider.SendAsync([Notification("ok-9", 0)], CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(54)); // issued for an hour: still kept until 5 minutes before
        var third = await provider.SendAsync([Notification("ok-10", 0)], CancellationToken.None);

        Assert.All(first.Concat(second).Concat(third), r => Assert.Equal(PushResult.Delivered, r));
        Assert.Equal(1, tokenRequests);
        Assert.Single(accepted.Select(a => a.Bearer).Distinct());

        time.Advance(TimeSpan.FromMinutes(2));
        var fourth = await provider.SendAsync([Notification("ok-11", 0), Notification("ok-12", 0)], CancellationToken.None);

        Assert.Equal([PushResult.Delivered, PushResult.Delivered], fourth);
        Assert.Empty(refusals);
        Assert.Equal(2, tokenRequests);
        Assert.Equal(2, accepted.Select(a => a.Bearer).Distinct().Count());
        Assert.Single(accepted.Where(a => a.Token is "ok-11" or "ok-12").Select(a => a.Bearer).Distinct());
        Assert.NotEqual(accepted.Single(a => a.Token == "ok-1").Bearer, accepted.Single(a => a.Token == "ok-11").Bearer);
    }

    [Fact]
    public async Task Unregistered_and_refused_tokens_are_reported_invalid_without_retries()
    {
        var provider = Provider(TimeProvider.System);

        var results = await provider.SendAsync([Notification("gone-1", 0), Notification("bad-1", 0)], CancellationToken.None);

        Assert.Empty(refusals);
        Assert.Equal([PushResult.Invalid("404 UNREGISTERED"), PushResult.Invalid("400 INVALID_ARGUMENT")], results);
        Assert.Equal(1, attempts["gone-1"]);
        Assert.Equal(1, attempts["bad-1"]);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_delay_asked_then_sent()
    {
        var provider = Provider(TimeProvider.System);
        var watch = Stopwatch.StartNew();

        var results = await provider.SendAsync([Notification("busy-1", 0)], CancellationToken.None);

        Assert.Empty(refusals);
        Assert.Equal([PushResult.Delivered], results);
        Assert.Equal(2, attempts["busy-1"]);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {watch.Elapsed}, not after Retry-After: 1");
        Assert.Single(accepted, a => a.Token == "busy-1");
    }

    [Fact]
    public async Task A_500_is_retried_then_reported_failed()
    {
        var provider = Provider(TimeProvider.System);

        var results = await provider.SendAsync([Notification("down-1", 0)], CancellationToken.None);

        Assert.Empty(refusals);
        Assert.Equal([PushResult.Failed("500 INTERNAL")], results);
        Assert.Equal(3, attempts["down-1"]);
    }

    [Fact]
    public async Task A_401_drops_the_access_token_and_sends_once_more_with_a_new_one()
    {
        var provider = Provider(TimeProvider.System);
        Assert.Equal([PushResult.Delivered], await provider.SendAsync([Notification("ok-1", 0)], CancellationToken.None));
        var old = accepted.Single().Bearer;
        issued[old] = false; // revoked

        var results = await provider.SendAsync([Notification("ok-2", 0)], CancellationToken.None);

        Assert.Equal([PushResult.Delivered], results);
        Assert.Equal(1, unauthorized);
        Assert.Equal(2, tokenRequests);
        Assert.NotEqual(old, accepted.Single(a => a.Token == "ok-2").Bearer);
    }

    [Fact]
    public void Enabled_without_a_usable_service_account_fails_validation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TeamTalk:Push:Fcm:Enabled"] = "true",
            ["TeamTalk:Push:Fcm:ServiceAccountPath"] = accountPath + ".missing",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddTeamTalkFcm(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FcmOptions>>().Value);
        Assert.Contains("ServiceAccountPath", error.Message, StringComparison.Ordinal);
    }

    private static PushNotification Notification(string token, uint groupId) =>
        new(token, DeviceType.Android, 9, "ann:hello", 7, MessageType.SingleText, 5, groupId, 100);

    private static Task ErrorAsync(HttpContext context, int status, string code, string message, object[] details)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { code = status, message, status = code, details } });
    }

    private IPushProvider Provider(TimeProvider time)
    {
        clock = time;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TeamTalk:Push:Fcm:Enabled"] = "true",
            ["TeamTalk:Push:Fcm:ServiceAccountPath"] = accountPath,
            ["TeamTalk:Push:Fcm:Endpoint"] = address,
            ["TeamTalk:Push:Fcm:Title"] = "TeamTalk",
            ["TeamTalk:Push:Fcm:MaxRetries"] = "2",
            ["TeamTalk:Push:Fcm:RetryDelay"] = "00:00:00.010",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(time)
            .AddTeamTalkFcm(configuration)
            .BuildServiceProvider();
        providers.Add(services);
        return services.GetRequiredService<IPushProvider>();
    }

    private async Task ServeTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var problem = form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" ? "grant_type"
            : !ValidAssertion(form["assertion"].ToString()) ? "assertion"
            : null;
        if (problem is not null)
        {
            refusals.Enqueue("token: " + problem);
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_grant" });
            return;
        }

        var token = "access-" + Interlocked.Increment(ref tokenRequests);
        issued[token] = true;
        await context.Response.WriteAsJsonAsync(new { access_token = token, expires_in = 3600, token_type = "Bearer" });
    }

    private async Task ServeSendAsync(HttpContext context)
    {
        var request = context.Request;
        var auth = request.Headers.Authorization.ToString();
        var bearer = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : string.Empty;
        if (issued.TryGetValue(bearer, out var valid) && !valid)
        {
            Interlocked.Increment(ref unauthorized);
            await ErrorAsync(context, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", []);
            return;
        }

        var problem = (string?)request.RouteValues["project"] != ProjectId ? "project"
            : (string?)request.RouteValues["action"] != "messages:send" ? "action"
            : !issued.ContainsKey(bearer) ? "bearer"
            : null;
        JsonElement body = default;
        var token = "?";
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
            var message = body.GetProperty("message");
            token = message.GetProperty("token").GetString() ?? "?";
            if (problem is null && (message.GetProperty("notification").GetProperty("body").ValueKind != JsonValueKind.String
                || message.GetProperty("data").EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String)))
            {
                problem = "payload";
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            problem ??= "payload: " + ex.Message;
        }

        if (problem is not null)
        {
            refusals.Enqueue(token + ": " + problem);
            await ErrorAsync(context, 400, "INVALID_ARGUMENT", "refused by the test: " + problem, []);
            return;
        }

        var attempt = attempts.AddOrUpdate(token, 1, (_, n) => n + 1);
        const string fcmError = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
        switch (token.Split('-')[0])
        {
            case "gone":
                await ErrorAsync(context, 404, "NOT_FOUND", "Requested entity was not found.", [new Dictionary<string, string> { ["@type"] = fcmError, ["errorCode"] = "UNREGISTERED" }]);
                break;
            case "bad":
                await ErrorAsync(context, 400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", [
                    new Dictionary<string, string> { ["@type"] = fcmError, ["errorCode"] = "INVALID_ARGUMENT" },
                    new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.BadRequest", ["fieldViolations"] = new[] { new { field = "message.token", description = "Invalid registration token" } } },
                ]);
                break;
            case "busy" when attempt == 1:
                context.Response.Headers.RetryAfter = "1";
                await ErrorAsync(context, 429, "RESOURCE_EXHAUSTED", "Quota exceeded.", [new Dictionary<string, string> { ["@type"] = fcmError, ["errorCode"] = "QUOTA_EXCEEDED" }]);
                break;
            case "down":
                await ErrorAsync(context, 500, "INTERNAL", "Internal error encountered.", [new Dictionary<string, string> { ["@type"] = fcmError, ["errorCode"] = "INTERNAL" }]);
                break;
            default:
                accepted.Enqueue((token, bearer, body));
                await context.Response.WriteAsJsonAsync(new { name = $"projects/{ProjectId}/messages/{Guid.NewGuid():N}" });
                break;
        }
    }

    private bool ValidAssertion(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var c = claims.RootElement;
        var iat = c.GetProperty("iat").GetInt64();
        return header.RootElement.GetProperty("alg").GetString() == "RS256"
            && c.GetProperty("iss").GetString() == ClientEmail
            && c.GetProperty("scope").GetString() == "https://www.googleapis.com/auth/firebase.messaging"
            && c.GetProperty("aud").GetString() == tokenUri
            && c.GetProperty("exp").GetInt64() == iat + 3600
            && Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - iat) < 60
            && publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
