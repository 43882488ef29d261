using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_CREATE_REQUEST</c> (behaviour.md 3.7.3): clients create temporary groups (a normal group is the
/// back-office's, so such a request is dropped with a logged reason). The members are the de-duplicated list as sent
/// (clients include themselves). Reply: <c>result_code</c> 0 with the group id, or 1 (empty name, no or unknown
/// members, a limit, the cluster unavailable), with the members in ascending order either way. Members are not notified;
/// they learn of the group with its first message.
/// </summary>
internal sealed class CreateGroupHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMGroupCreateReq, GroupCreateResult, IMGroupCreateRsp>(CommandKeys.GroupCreateRequest, CommandKeys.GroupCreateResponse, log)
{
    protected override string? Validate(IClientConnection connection, IMGroupCreateReq request) =>
        request.GroupType != GroupType.Tmp ? "clients may create temporary groups only" : null;

    protected override Task<GroupCreateResult> AskAsync(IClientConnection connection, IMGroupCreateReq request)
    {
        var create = new GroupCreate(connection.UserId, request.GroupName, request.GroupAvatar, [.. request.MemberIdList]);
        return grains.GetGroupDirectory().CreateAsync(create);
    }

    protected override IMGroupCreateRsp Map(IClientConnection connection, IMGroupCreateReq request, GroupCreateResult created)
    {
        var response = Reply(connection, request, created.GroupId);
        response.UserIdList.AddRange(created.Members);
        return response;
    }

    protected override IMGroupCreateRsp Failed(IClientConnection connection, IMGroupCreateReq request)
    {
        var response = Reply(connection, request, groupId: 0);
        response.UserIdList.AddRange(request.MemberIdList.Where(id => id != 0).Distinct().Order());
        return response;
    }

    private static IMGroupCreateRsp Reply(IClientConnection connection, IMGroupCreateReq request, uint groupId)
    {
        var response = new IMGroupCreateRsp { UserId = connection.UserId, ResultCode = groupId != 0 ? 0u : 1u, GroupName = request.GroupName };
        if (groupId != 0)
        {
            response.GroupId = groupId;
        }

        return response;
    }
}
