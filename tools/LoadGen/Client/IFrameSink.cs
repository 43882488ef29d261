using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>Receives every frame of a <see cref="LeanConnection"/> except the login reply, on the connection's receive loop.</summary>
internal interface IFrameSink
{
    /// <summary>Called on the receive loop, one frame at a time; <paramref name="body"/> is valid only during the call.</summary>
    void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body);

    /// <summary>The connection ended (server closed it, or it broke).</summary>
    void OnClosed(LeanConnection connection, string reason);
}
