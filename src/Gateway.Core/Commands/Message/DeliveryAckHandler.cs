using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_DATA_ACK</c> from a receiver (behaviour.md 3.4.2): no reply and nothing persisted, as in the original.
/// We count them (metric <c>teamtalk.gateway.delivery_acks</c>, by session type) next to the pushes sent; there is no
/// redelivery: unread counts and history are how a client recovers what it missed.
/// </summary>
internal sealed class DeliveryAckHandler(ConnectionLog log) : CommandHandler<IMMsgDataAck>(log)
{
    public override CommandKey Command => CommandKeys.MessageDataAck;

    protected override ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMMsgDataAck request)
    {
        Log.Metrics.DeliveryAck(request.SessionType);
        return ValueTask.CompletedTask;
    }
}
