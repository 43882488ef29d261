using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Http;

namespace TeamTalk.Orleans.Gateway.WebSockets;

/// <summary>
/// <c>/ws</c> on the gateway's HTTP port: upgrades to a WebSocket (no compression) after the origin check and runs a
/// <see cref="ClientConnection"/> over it (<see cref="WebSocketTransport"/>). Not a WebSocket request: 400; a
/// refused origin: 403 (logged at most every 10 s); another port: 404.
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
        if (context.Connection.LocalPort != services.Settings.HttpPort)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            Refuse(context, StatusCodes.Status400BadRequest, "not a WebSocket upgrade request");
            return;
        }

        if (!OriginAllowed(context.Request))
        {
            Refuse(context, StatusCodes.Status403Forbidden, $"origin {context.Request.Headers.Origin} not allowed");
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = false,
            KeepAliveInterval = settings.KeepAliveInterval,
        });
        await using var transport = new WebSocketTransport(socket, context, services.Settings.MaxPacketBytes, settings.CloseTimeout, time);
        await transport.RunAsync(new ClientConnection(transport, services, ClientTransport.WebSocket), services.Log);
    }

    /// <summary>The origins of <see cref="WebOrigins"/>.</summary>
    internal bool OriginAllowed(HttpRequest request) => WebOrigins.Allowed(request, settings.AllowedOrigins);

    private void Refuse(HttpContext context, int status, string reason)
    {
        if (refusals.TryLog(out var suppressed))
        {
            LogRefused(context.Connection.RemoteIpAddress?.ToString() ?? "?", status, reason, suppressed);
        }

        context.Response.StatusCode = status;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket request from {Remote} refused with {Status}: {Reason} ({Suppressed} more refusals not logged)")]
    private partial void LogRefused(string remote, int status, string reason, int suppressed);
}
