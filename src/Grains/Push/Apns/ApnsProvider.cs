using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Push.Apns;

/// <summary>
/// iOS pushes through APNs' HTTP/2 API: <c>POST /3/device/&lt;token&gt;</c> with <c>apns-topic</c>,
/// <c>apns-push-type: alert</c> and the provider token (<see cref="ApnsToken"/>); payload
/// <c>{"aps":{"alert","badge","sound"},"msg_type","from_id"[,"group_id"]}</c> (behaviour.md 3.9). Retries (429, 5xx,
/// Retry-After) are the HTTP client's resilience handler's; 410, and 400 BadDeviceToken, mean the token is invalid.
/// </summary>
public sealed class ApnsProvider(IHttpClientFactory clients, ApnsToken token, IOptions<ApnsOptions> options) : IPushProvider
{
    /// <summary>The named HTTP client.</summary>
    public const string ClientName = "apns";

    private readonly ApnsOptions settings = options.Value;

    public string Name => "apns";

    public DeviceType Device => DeviceType.Ios;

    public async Task<PushResult[]> SendAsync(IReadOnlyList<PushNotification> batch, CancellationToken cancellationToken)
    {
        var results = new PushResult[batch.Count];
        var client = clients.CreateClient(ClientName);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batch.Count),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await SendOneAsync(client, batch[i], ct));
        return results;
    }

    /// <summary>The JSON body of a notification.</summary>
    public static JsonObject Payload(PushNotification n)
    {
        var body = new JsonObject
        {
            ["aps"] = new JsonObject { ["alert"] = n.Alert, ["badge"] = n.Badge, ["sound"] = "default" },
            ["msg_type"] = (uint)n.MsgType,
            ["from_id"] = n.FromUserId,
        };
        if (n.GroupId != 0)
        {
            body["group_id"] = n.GroupId;
        }

        return body;
    }

    private async Task<PushResult> SendOneAsync(HttpClient client, PushNotification n, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.Endpoint, "/3/device/" + Uri.EscapeDataString(n.Token)))
        {
            Content = JsonContent.Create(Payload(n)),
            // A request made here does not take the client's defaults: HTTP/2 only, as APNs (h2c on a loopback test server).
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token.Current);
        request.Headers.Add("apns-topic", settings.Topic);
        request.Headers.Add("apns-push-type", "alert");
        request.Headers.Add("apns-priority", "10");
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return PushResult.Delivered;
            }

            var reason = await ReasonAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            return response.StatusCode == HttpStatusCode.Gone || (status == 400 && reason == "BadDeviceToken")
                ? PushResult.Invalid($"{status} {reason}")
                : PushResult.Failed($"{status} {reason}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return PushResult.Failed(ex.GetType().Name);
        }
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() ?? "none" : "none";
        }
        catch (JsonException)
        {
            return "unreadable";
        }
    }
}
