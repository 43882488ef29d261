using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Gateway.WebSockets;

/// <summary>
/// Settings of the WebSocket endpoint <c>/ws</c> on the gateway's HTTP port (section <c>TeamTalk:Gateway:WebSocket</c>).
/// Frame size, rate limits, login and idle timeouts are the gateway's own (<see cref="GatewayOptions"/>), as on TCP.
/// </summary>
public sealed class WebSocketEndpointOptions
{
    public const string Section = "TeamTalk:Gateway:WebSocket";

    /// <summary>Serve <c>/ws</c> at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>, as browsers send them) allowed besides the gateway's own; <c>*</c> allows
    /// any. Empty: only pages served by this gateway's HTTP port (the request's own host) and clients that send no
    /// <c>Origin</c> (not browsers). Anything else is answered 403 before the upgrade.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>WebSocket pings this often keep idle proxies from cutting the connection (not TeamTalk heartbeats: those still decide idleness).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing connection waits for the client's close handshake (or for a blocked send) before the socket is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
