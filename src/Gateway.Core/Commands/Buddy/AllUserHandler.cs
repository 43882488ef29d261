using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_ALL_USER_REQUEST</c> (behaviour.md 3.6.4): incremental user directory by the real
/// <c>IMUser.updated</c> column (0: every user who has not left; otherwise users of any status with
/// <c>updated &gt;= latest_update_time</c>), so edits made directly in MySQL are seen (defect 24).
/// </summary>
internal sealed class AllUserHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMAllUserReq, UserChanges, IMAllUserRsp>(CommandKeys.AllUserRequest, CommandKeys.AllUserResponse, log)
{
    protected override Task<UserChanges> AskAsync(IClientConnection connection, IMAllUserReq request) =>
        grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersChangedSinceAsync(request.LatestUpdateTime);

    protected override IMAllUserRsp Map(IClientConnection connection, IMAllUserReq request, UserChanges changes)
    {
        var response = new IMAllUserRsp { UserId = connection.UserId, LatestUpdateTime = changes.LatestUpdateTime };
        foreach (var user in changes.Users)
        {
            response.UserList.Add(ProtocolMapper.ToUserInfo(user));
        }

        return response;
    }
}
