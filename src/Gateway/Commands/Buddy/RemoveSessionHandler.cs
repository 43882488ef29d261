using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_REMOVE_SESSION_REQ</c> (behaviour.md 3.6.3): removes the active session and clears its unread
/// count; replies <c>result_code</c> 0 (removed) or 1 (none active); for 1:1 sessions the user's other connections get
/// <c>CID_BUDDY_LIST_REMOVE_SESSION_NOTIFY</c>.
/// </summary>
internal sealed class RemoveSessionHandler(IGrainFactory grains, GatewayIdentity gateway, ConnectionLog log) : CommandHandler<IMRemoveSessionReq>(log)
{
    public override CommandKey Command => CommandKeys.RemoveSessionRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMRemoveSessionReq request)
    {
        // A failure is answered too: result 1, as the original does when its database fails.
        var (_, removed) = await AskAsync(connection, "remove session", () => grains.GetUserGrain(connection.UserId)
            .RemoveSessionAsync((uint)request.SessionType, request.SessionId, new ConnectionRef(gateway.Id, connection.Id)));

        connection.TrySend(OutboundFrame.Message(CommandKeys.RemoveSessionResponse, header.SeqNum, new IMRemoveSessionRsp
        {
            UserId = connection.UserId,
            ResultCode = removed ? 0u : 1u,
            SessionType = request.SessionType,
            SessionId = request.SessionId,
        }));
    }
}
