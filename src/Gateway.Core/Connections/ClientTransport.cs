namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>How a client reached the gateway; everything past the framing is the same for both.</summary>
internal enum ClientTransport
{
    /// <summary>The native TeamTalk TCP port: a byte stream of frames.</summary>
    Tcp,

    /// <summary><c>/ws</c> on the HTTP port: binary WebSocket messages of one frame each (browsers).</summary>
    WebSocket,
}
