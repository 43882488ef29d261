using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_REMOVE_SESSION_REQ</c> (behaviour.md 3.6.3): removes the active session and clears its unread
/// count; replies <c>result_code</c> 0 (removed) or 1 (none active, or the cluster unavailable, as the original does
/// when its database fails); for 1:1 sessions the user's other connections get <c>CID_BUDDY_LIST_REMOVE_SESSION_NOTIFY</c>.
/// </summary>
internal sealed class RemoveSessionHandler(IGrainFactory grains, GatewayIdentity gateway, ConnectionLog log)
    : QueryHandler<IMRemoveSessionReq, bool, IMRemoveSessionRsp>(CommandKeys.RemoveSessionRequest, CommandKeys.RemoveSessionResponse, log)
{
    protected override Task<bool> AskAsync(IClientConnection connection, IMRemoveSessionReq request) => grains.GetSessionGrain(connection.UserId)
            .RemoveSessionAsync((SessionType)request.SessionType, request.SessionId, new ConnectionRef(gateway.Id, connection.Id));

    protected override IMRemoveSessionRsp Map(IClientConnection connection, IMRemoveSessionReq request, bool removed) => new()
    {
        UserId = connection.UserId,
        ResultCode = removed ? 0u : 1u,
        SessionType = request.SessionType,
        SessionId = request.SessionId,
    };

    protected override IMRemoveSessionRsp Failed(IClientConnection connection, IMRemoveSessionReq request) => Map(connection, request, removed: false);
}
