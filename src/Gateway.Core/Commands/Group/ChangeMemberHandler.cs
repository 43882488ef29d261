using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_CHANGE_MEMBER_REQUEST</c> (behaviour.md 3.7.4): the Group grain applies its membership rules and
/// notifies the members (<c>CID_GROUP_CHANGE_MEMBER_NOTIFY</c>). Reply: <c>result_code</c> 0 with the current members and
/// the ids actually added or removed, or 1 when refused or the cluster is unavailable; no reply for a group that does
/// not exist, as in the original.
/// </summary>
internal sealed class ChangeMemberHandler(IGrainFactory grains, GatewayIdentity gateway, ConnectionLog log)
    : QueryHandler<IMGroupChangeMemberReq, GroupChangeResult, IMGroupChangeMemberRsp>(CommandKeys.GroupChangeMemberRequest, CommandKeys.GroupChangeMemberResponse, log)
{
    protected override string? Validate(IClientConnection connection, IMGroupChangeMemberReq request) =>
        request.GroupId == 0 ? "member change of group 0" : null;

    protected override Task<GroupChangeResult> AskAsync(IClientConnection connection, IMGroupChangeMemberReq request)
    {
        var change = new GroupChange(connection.UserId, new ConnectionRef(gateway.Id, connection.Id), (GroupChangeType)request.ChangeType, [.. request.MemberIdList]);
        return connection.Group(request.GroupId, grains).ChangeMembersAsync(change);
    }

    protected override string? Refusal(IMGroupChangeMemberReq request, GroupChangeResult result) =>
        result.Status == GroupChangeStatus.NoSuchGroup ? $"member change of group {request.GroupId}, which does not exist" : null;

    protected override IMGroupChangeMemberRsp Map(IClientConnection connection, IMGroupChangeMemberReq request, GroupChangeResult result)
    {
        var response = Reply(connection, request);
        if (result.Status == GroupChangeStatus.Done)
        {
            response.ResultCode = 0;
            response.CurUserIdList.AddRange(result.CurrentMembers);
            response.ChgUserIdList.AddRange(result.Changed);
        }

        return response;
    }

    protected override IMGroupChangeMemberRsp Failed(IClientConnection connection, IMGroupChangeMemberReq request) => Reply(connection, request);

    /// <summary>The reply with <c>result_code</c> 1 and no lists.</summary>
    private static IMGroupChangeMemberRsp Reply(IClientConnection connection, IMGroupChangeMemberReq request) => new()
    {
        UserId = connection.UserId,
        ChangeType = request.ChangeType,
        ResultCode = 1,
        GroupId = request.GroupId,
    };
}
