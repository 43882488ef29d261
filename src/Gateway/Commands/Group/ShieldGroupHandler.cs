using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_SHIELD_GROUP_REQUEST</c> (behaviour.md 3.7.5): a member mutes (or unmutes) push notifications of a
/// group; stored in MySQL. Reply <c>result_code</c> 0, or 1 for a non-member or when the cluster is unavailable; no
/// reply for a group that does not exist.
/// </summary>
internal sealed class ShieldGroupHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMGroupShieldReq>(log)
{
    public override CommandKey Command => CommandKeys.GroupShieldRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMGroupShieldReq request)
    {
        if (request.GroupId == 0)
        {
            Log.Rejected(connection, header, "shield of group 0");
            return;
        }

        var (ok, set) = await AskAsync(connection, "group shield", () => connection.Group(request.GroupId, grains).SetShieldAsync(connection.UserId, request.ShieldStatus));
        if (ok && set is null)
        {
            Log.Rejected(connection, header, $"shield of group {request.GroupId}, which does not exist");
            return;
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.GroupShieldResponse, header.SeqNum, new IMGroupShieldRsp
        {
            UserId = connection.UserId,
            GroupId = request.GroupId,
            ResultCode = ok && set == true ? 0u : 1u,
        }));
    }
}
