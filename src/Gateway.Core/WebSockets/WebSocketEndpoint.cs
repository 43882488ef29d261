using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Http;

namespace TeamTalk.Orleans.Gateway.WebSockets;

/// <summary>
/// <c>/ws</c> on the gateway's HTTP port: upgrades to a WebSocket (no compression) after the origin check and runs a
/// <see cref="ClientConnection"/> over it (<see cref="WebSocketTransport"/>). Not a WebSocket request: 400; a
/// refused origin: 403 (logged at most every 10 s); another port: 404. The file endpoint (<c>/ws/file</c>) is admitted
/// by the same checks (<see cref="AcceptAsync"/>).
/// </summary>
internal sealed partial class WebSocketEndpoint(
    ConnectionServices services,
    IOptions<WebSocketEndpointOptions> options,
    TimeProvider time,
    ILogger<WebSocketEndpoint> logger)
{
    public const string Path = "/ws";

    private readonly WebSocketEndpointOptions settings = options.Value;
    private readonly RejectLog refusals = new(TimeSpan.FromSeconds(10), time);

    public async Task HandleAsync(HttpContext context)
    {
        await using var transport = await AcceptAsync(context);
        if (transport is null)
        {
            return;
        }

        var connection = new ClientConnection(transport, services, ClientTransport.WebSocket);
        await transport.RunAsync(connection.RunAsync, reason => services.Log.Closing(connection, reason));
    }

    /// <summary>
    /// The checks every WebSocket endpoint of the gateway makes (this HTTP port, an upgrade request, an allowed origin),
    /// then the upgrade; null when refused (the response's status is set and the refusal logged, rate-limited).
    /// </summary>
    internal async Task<WebSocketTransport?> AcceptAsync(HttpContext context)
    {
        if (context.Connection.LocalPort != services.Settings.HttpPort)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return null;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            Refuse(context, StatusCodes.Status400BadRequest, "not a WebSocket upgrade request");
            return null;
        }

        if (!OriginAllowed(context.Request))
        {
            Refuse(context, StatusCodes.Status403Forbidden, $"origin {context.Request.Headers.Origin} not allowed");
            return null;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = false,
            KeepAliveInterval = settings.KeepAliveInterval,
        });
        return new WebSocketTransport(socket, context, services.Settings.MaxPacketBytes, settings.CloseTimeout, time);
    }

    /// <summary>The origins of <see cref="WebOrigins"/>.</summary>
    internal bool OriginAllowed(HttpRequest request) => WebOrigins.Allowed(request, settings.AllowedOrigins);

    private void Refuse(HttpContext context, int status, string reason)
    {
        if (refusals.TryLog(out var suppressed))
        {
            LogRefused(context.Request.Path.Value ?? "/", context.Connection.RemoteIpAddress?.ToString() ?? "?", status, reason, suppressed);
        }

        context.Response.StatusCode = status;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket request for {Path} from {Remote} refused with {Status}: {Reason} ({Suppressed} more refusals not logged)")]
    private partial void LogRefused(string path, string remote, int status, string reason, int suppressed);
}
