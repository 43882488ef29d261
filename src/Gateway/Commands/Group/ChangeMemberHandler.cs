using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_CHANGE_MEMBER_REQUEST</c> (behaviour.md 3.7.4): the Group grain applies its membership rules and
/// notifies the members (<c>CID_GROUP_CHANGE_MEMBER_NOTIFY</c>). Reply: <c>result_code</c> 0 with the current members and
/// the ids actually added or removed, or 1 when refused or the cluster is unavailable; no reply for a group that does
/// not exist, as in the original.
/// </summary>
internal sealed class ChangeMemberHandler(IGrainFactory grains, GatewayIdentity gateway, ConnectionLog log) : CommandHandler<IMGroupChangeMemberReq>(log)
{
    public override CommandKey Command => CommandKeys.GroupChangeMemberRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMGroupChangeMemberReq request)
    {
        if (request.GroupId == 0)
        {
            Log.Rejected(connection, header, "member change of group 0");
            return;
        }

        var change = new GroupChange(connection.UserId, new ConnectionRef(gateway.Id, connection.Id), (GroupChangeType)request.ChangeType, [.. request.MemberIdList]);
        var (ok, result) = await AskAsync(connection, "group member change", () => connection.Group(request.GroupId, grains).ChangeMembersAsync(change));
        if (ok && result.Status == GroupChangeStatus.NoSuchGroup)
        {
            Log.Rejected(connection, header, $"member change of group {request.GroupId}, which does not exist");
            return;
        }

        var done = ok && result.Status == GroupChangeStatus.Done;
        var response = new IMGroupChangeMemberRsp
        {
            UserId = connection.UserId,
            ChangeType = request.ChangeType,
            ResultCode = done ? 0u : 1u,
            GroupId = request.GroupId,
        };
        if (done)
        {
            response.CurUserIdList.AddRange(result.CurrentMembers);
            response.ChgUserIdList.AddRange(result.Changed);
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.GroupChangeMemberResponse, header.SeqNum, response));
    }
}
