using System.Buffers;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary><c>CID_OTHER_HEARTBEAT</c>: the PDU is sent back verbatim (same header, same seq, same body).</summary>
internal sealed class HeartbeatHandler : ICommandHandler
{
    public CommandKey Command => CommandKeys.Heartbeat;

    public bool AllowedBeforeLogin => true;

    public ValueTask HandleAsync(IClientConnection connection, PacketHeader header, ReadOnlySequence<byte> body)
    {
        connection.TrySend(OutboundFrame.Echo(header, body.IsEmpty ? [] : body.ToArray()));
        return ValueTask.CompletedTask;
    }
}
