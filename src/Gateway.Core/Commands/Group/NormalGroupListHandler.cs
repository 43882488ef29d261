using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_NORMAL_LIST_REQUEST</c> (behaviour.md 3.7.1): the normal groups the user is a member of, with their
/// versions, most recently updated first. When the cluster cannot answer, the list is empty, as in the original.
/// </summary>
internal sealed class NormalGroupListHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMNormalGroupListReq, GroupVersion[], IMNormalGroupListRsp>(CommandKeys.GroupNormalListRequest, CommandKeys.GroupNormalListResponse, log)
{
    protected override Task<GroupVersion[]> AskAsync(IClientConnection connection, IMNormalGroupListReq request) =>
        grains.GetGroupDirectory().GetNormalGroupsAsync(connection.UserId);

    protected override IMNormalGroupListRsp Map(IClientConnection connection, IMNormalGroupListReq request, GroupVersion[] groups)
    {
        var response = new IMNormalGroupListRsp { UserId = connection.UserId };
        foreach (var group in groups)
        {
            response.GroupVersionList.Add(new GroupVersionInfo { GroupId = group.GroupId, Version = group.Version });
        }

        return response;
    }

    protected override IMNormalGroupListRsp Failed(IClientConnection connection, IMNormalGroupListReq request) => Map(connection, request, []);
}
