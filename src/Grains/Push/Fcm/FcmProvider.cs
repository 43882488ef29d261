using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Push.Fcm;

/// <summary>
/// Android pushes through FCM's HTTP v1 API: <c>POST /v1/projects/&lt;project&gt;/messages:send</c> with the OAuth2
/// access token (<see cref="FcmAccessToken"/>); body
/// <c>{"message":{"token","notification":{"title"?,"body"},"data":{"msg_type","from_id"[,"group_id"],"badge"},"android":{"priority":"high"}}}</c>
/// (data values are strings, as FCM wants). Retries (429, 5xx, Retry-After) are the HTTP client's resilience
/// handler's; a 401 drops the access token and the push is sent once more with a new one; 404 UNREGISTERED, and 400
/// INVALID_ARGUMENT about the token, mean the token is invalid.
/// </summary>
public sealed partial class FcmProvider(
    IHttpClientFactory clients,
    FcmAccessToken accessToken,
    FcmServiceAccount account,
    IOptions<FcmOptions> options,
    ILogger<FcmProvider> logger) : IPushProvider
{
    /// <summary>The named HTTP client of the send API.</summary>
    public const string ClientName = "fcm";

    private readonly FcmOptions settings = options.Value;

    public string Name => "fcm";

    public DeviceType Device => DeviceType.Android;

    public async Task<PushResult[]> SendAsync(IReadOnlyList<PushNotification> batch, CancellationToken cancellationToken)
    {
        var results = new PushResult[batch.Count];
        var client = clients.CreateClient(ClientName);
        var sendUri = new Uri(settings.Endpoint, "/v1/projects/" + Uri.EscapeDataString(account.ProjectId) + "/messages:send");
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batch.Count),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await SendOneAsync(client, sendUri, batch[i], ct));
        return results;
    }

    /// <summary>The JSON body of a notification.</summary>
    public static JsonObject Payload(PushNotification n, string title)
    {
        var notification = new JsonObject();
        if (title.Length > 0)
        {
            notification["title"] = title;
        }

        notification["body"] = n.Alert;
        var data = new JsonObject
        {
            ["msg_type"] = ((uint)n.MsgType).ToString(CultureInfo.InvariantCulture),
            ["from_id"] = n.FromUserId.ToString(CultureInfo.InvariantCulture),
        };
        if (n.GroupId != 0)
        {
            data["group_id"] = n.GroupId.ToString(CultureInfo.InvariantCulture);
        }

        data["badge"] = n.Badge.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["token"] = n.Token,
                ["notification"] = notification,
                ["data"] = data,
                ["android"] = new JsonObject { ["priority"] = "high" },
            },
        };
    }

    private async Task<PushResult> SendOneAsync(HttpClient client, Uri sendUri, PushNotification n, CancellationToken cancellationToken)
    {
        var payload = Payload(n, settings.Title);
        for (var attempt = 1; ; attempt++)
        {
            string bearer;
            try
            {
                bearer = await accessToken.GetAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogTokenFailed(ex);
                return PushResult.Failed("oauth " + ((ex as HttpRequestException)?.StatusCode is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : ex.GetType().Name));
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, sendUri) { Content = JsonContent.Create(payload) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            try
            {
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return PushResult.Delivered;
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
                {
                    LogUnauthorized();
                    accessToken.Invalidate(bearer);
                    continue;
                }

                return await ResultAsync(response, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return PushResult.Failed(ex.GetType().Name);
            }
        }
    }

    /// <summary>The result of a refused push from FCM's error body <c>{"error":{"code","message","status","details"}}</c>.</summary>
    private static async Task<PushResult> ResultAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var (code, aboutToken) = await ErrorAsync(response, cancellationToken);
        var reason = $"{status} {code}";
        return (status == 404 && code == "UNREGISTERED") || (status == 400 && code == "INVALID_ARGUMENT" && aboutToken)
            ? PushResult.Invalid(reason)
            : PushResult.Failed(reason);
    }

    /// <summary>The error's code (the FcmError detail's <c>errorCode</c>, else <c>status</c>) and whether it names the token.</summary>
    private static async Task<(string Code, bool AboutToken)> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (!json.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return ("none", false);
            }

            var code = Text(error, "status") ?? "none";
            var aboutToken = Text(error, "message") is { } message && message.Contains("token", StringComparison.OrdinalIgnoreCase);
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.Object))
                {
                    if (Text(detail, "@type") is { } type && type.EndsWith(".FcmError", StringComparison.Ordinal) && Text(detail, "errorCode") is { } errorCode)
                    {
                        code = errorCode;
                    }

                    if (detail.TryGetProperty("fieldViolations", out var violations) && violations.ValueKind == JsonValueKind.Array
                        && violations.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Object && Text(v, "field") == "message.token"))
                    {
                        aboutToken = true;
                    }
                }
            }

            return (code, aboutToken);
        }
        catch (JsonException)
        {
            return ("unreadable", false);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "FCM: no access token")]
    private partial void LogTokenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "FCM answered 401: the access token is dropped and the push sent again with a new one")]
    private partial void LogUnauthorized();
}
