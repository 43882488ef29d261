using System.Buffers.Text;
using System.Collections.Concurrent;
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
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Push;
using TeamTalk.Orleans.Grains.Push.Apns;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// The APNs provider against a loopback HTTP/2 (h2c) server that checks what APNs checks: the path, the topic and push
/// type headers, the bearer JWT (ES256 signature with the test key, kid, iss, iat) and the JSON payload; it answers by
/// token: ok → 200, gone → 410 Unregistered, busy → 429 with Retry-After once then 200, down → 500 always.
/// </summary>
public sealed class ApnsProviderTests : IAsyncLifetime
{
    private const string KeyId = "KEY1234567";
    private const string TeamId = "TEAM123456";
    private const string Topic = "com.mogujie.teamtalk";

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ConcurrentQueue<(string Token, string Jwt, JsonElement Body)> accepted = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private readonly ConcurrentQueue<string> refusals = new();
    private readonly string keyPath = Path.Combine(Path.GetTempPath(), "apns-test-" + Guid.NewGuid().ToString("N") + ".p8");
    private WebApplication? server;
    private ServiceProvider? services;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        server = builder.Build();
        server.MapPost("/3/device/{token}", context => ServeAsync(context));
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TeamTalk:Push:Apns:Enabled"] = "true",
            ["TeamTalk:Push:Apns:Endpoint"] = address,
            ["TeamTalk:Push:Apns:KeyPath"] = keyPath,
            ["TeamTalk:Push:Apns:KeyId"] = KeyId,
            ["TeamTalk:Push:Apns:TeamId"] = TeamId,
            ["TeamTalk:Push:Apns:Topic"] = Topic,
            ["TeamTalk:Push:Apns:MaxRetries"] = "2",
            ["TeamTalk:Push:Apns:RetryDelay"] = "00:00:00.010",
        }).Build();
        services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddTeamTalkApns(configuration)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        key.Dispose();
        File.Delete(keyPath);
    }

    [Fact]
    public async Task Pushes_arrive_with_the_payload_invalid_tokens_are_reported_and_429_and_500_are_retried()
    {
        var provider = services!.GetRequiredService<IPushProvider>();
        Assert.Equal(DeviceType.Ios, provider.Device);
        var batch = new[]
        {
            Notification("ok-1", groupId: 0),
            Notification("gone-1", groupId: 0),
            Notification("busy-1", groupId: 42),
            Notification("down-1", groupId: 0),
        };

        var results = await provider.SendAsync(batch, CancellationToken.None);

        Assert.Empty(refusals);
        Assert.Equal([PushResult.Delivered, PushResult.Invalid("410 Unregistered"), PushResult.Delivered, PushResult.Failed("500 InternalServerError")], results);
        Assert.Equal(2, attempts["busy-1"]);
        Assert.Equal(3, attempts["down-1"]);
        Assert.Equal(1, attempts["gone-1"]);

        var ok = accepted.Single(a => a.Token == "ok-1").Body;
        Assert.Equal("ann:hello", ok.GetProperty("aps").GetProperty("alert").GetString());
        Assert.Equal(7, ok.GetProperty("aps").GetProperty("badge").GetInt32());
        Assert.Equal(1, ok.GetProperty("msg_type").GetInt32());
        Assert.Equal(5, ok.GetProperty("from_id").GetInt32());
        Assert.False(ok.TryGetProperty("group_id", out _));
        Assert.Equal(42, accepted.Single(a => a.Token == "busy-1").Body.GetProperty("group_id").GetInt32());

        // One token for all requests (made once, reused for 50 minutes).
        Assert.Single(accepted.Select(a => a.Jwt).Distinct());
    }

    private static PushNotification Notification(string token, uint groupId) =>
        new(token, DeviceType.Ios, 9, "ann:hello", 7, MessageType.SingleText, 5, groupId, 100);

    private static Task AnswerAsync(HttpContext context, int status, string? reason)
    {
        context.Response.StatusCode = status;
        return reason is null ? Task.CompletedTask : context.Response.WriteAsJsonAsync(new { reason });
    }

    private async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        var token = (string)request.RouteValues["token"]!;
        var jwt = request.Headers.Authorization.ToString() is var auth && auth.StartsWith("bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        var problem = request.Protocol != "HTTP/2" ? "not HTTP/2"
            : request.Headers["apns-topic"] != Topic ? "topic"
            : request.Headers["apns-push-type"] != "alert" ? "push type"
            : jwt is null || !ValidJwt(jwt) ? "jwt"
            : null;
        JsonElement body = default;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
            if (problem is null && body.GetProperty("aps").GetProperty("alert").ValueKind != JsonValueKind.String)
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
            await AnswerAsync(context, 400, "BadRequest");
            return;
        }

        var attempt = attempts.AddOrUpdate(token, 1, (_, n) => n + 1);
        switch (token.Split('-')[0])
        {
            case "gone":
                await AnswerAsync(context, 410, "Unregistered");
                break;
            case "busy" when attempt == 1:
                context.Response.Headers.RetryAfter = "1";
                await AnswerAsync(context, 429, "TooManyRequests");
                break;
            case "down":
                await AnswerAsync(context, 500, "InternalServerError");
                break;
            default:
                accepted.Enqueue((token, jwt!, body));
                context.Response.Headers["apns-id"] = Guid.NewGuid().ToString();
                await AnswerAsync(context, 200, null);
                break;
        }
    }

    private bool ValidJwt(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var iat = claims.RootElement.GetProperty("iat").GetInt64();
        return header.RootElement.GetProperty("alg").GetString() == "ES256"
            && header.RootElement.GetProperty("kid").GetString() == KeyId
            && claims.RootElement.GetProperty("iss").GetString() == TeamId
            && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - iat) < 3600
            && key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256);
    }
}
