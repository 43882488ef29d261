using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Message;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_READ_ACK</c> (behaviour.md 3.4.3): the session is read up to <c>msg_id</c> (not blindly all of it,
/// defect 18), persisted, and <c>CID_MSG_READ_NOTIFY</c> goes to the user's other connections. No reply. For a group,
/// only a member's read counts (the original did not check).
/// </summary>
internal sealed class ReadAckHandler(IGrainFactory grains, GatewayIdentity gateway, ConnectionLog log) : CommandHandler<IMMsgDataReadAck>(log)
{
    public override CommandKey Command => CommandKeys.ReadAck;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMMsgDataReadAck request)
    {
        var group = request.SessionType == SessionType.Group;
        if (request.SessionId == 0 || (!group && request.SessionId == connection.UserId))
        {
            Log.Rejected(connection, header, request.SessionId == 0 ? "read ack of session 0" : "read ack of a session with self");
            return;
        }

        await AskAsync(connection, "read ack", () => grains.GetSessionGrain(connection.UserId)
            .MarkReadAsync((Grains.Models.SessionType)request.SessionType, request.SessionId, request.MsgId, new ConnectionRef(gateway.Id, connection.Id)));
    }
}
