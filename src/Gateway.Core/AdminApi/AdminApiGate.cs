using TeamTalk.Orleans.Gateway.AdminApi.Contracts;
using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// The middleware in front of every request of the gateway's HTTP listeners: requests to the back-office port reach
/// back-office endpoints only (anything else is 404, so discovery is not served there), back-office endpoints are not
/// reachable on any other port, and a back-office request without one of the keys is 401. Refusals are logged at most
/// once per <see cref="LogInterval"/>, with the count of those not logged. A cluster that cannot be reached is 503.
/// </summary>
internal sealed partial class AdminApiGate(AdminApiKeyRing keys, int adminPort, TimeProvider time, ILogger<AdminApiGate> logger)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly RejectLog rejections = new(LogInterval, time);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<AdminApiEndpoint>();
        var onAdminPort = context.Connection.LocalPort == adminPort;
        if (!onAdminPort)
        {
            if (endpoint is null)
            {
                await next(context);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return;
        }

        if (endpoint is null)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, "no such route");
            return;
        }

        if (!endpoint.KeyInBody && !endpoint.Session && !keys.Matches(AdminApiKeyRing.BearerKey(context.Request)))
        {
            Refused(context, "no or wrong key");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "missing or wrong key (Authorization: Bearer <key>)");
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException or SiloUnavailableException && !context.Response.HasStarted)
        {
            LogClusterUnavailable(ex, context.Request.Method, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "the cluster cannot be reached; nothing was changed or it is unknown whether it was");
        }

        if (context.Response.StatusCode is >= 400 and < 500)
        {
            Refused(context, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Logs a refused request, rate-limited.</summary>
    public void Refused(HttpContext context, string reason)
    {
        if (rejections.TryLog(out var suppressed))
        {
            LogRefused(context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "?", reason, suppressed);
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorResponse(error), AdminApiJsonContext.Default.ErrorResponse, contentType: null, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Back-office request {Method} {Path} from {Remote} refused: {Reason} ({Suppressed} more refusals not logged)")]
    private partial void LogRefused(string method, string path, string remote, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Back-office request {Method} {Path}: the cluster cannot be reached")]
    private partial void LogClusterUnavailable(Exception exception, string method, string path);
}
