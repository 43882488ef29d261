using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_USER_INFO_REQUEST</c> (behaviour.md 3.6.2): the profiles, with the real status, of the requested
/// users that exist (any status; unknown ids left out; ordered by id). An empty list gets an empty answer; more than
/// <see cref="MaxIds"/> ids are rejected (logged, no reply).
/// </summary>
internal sealed class UserInfoHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMUsersInfoReq, DirectoryUser[], IMUsersInfoRsp>(CommandKeys.UserInfoRequest, CommandKeys.UserInfoResponse, log)
{
    /// <summary>Most ids one request may ask for (one parameterized <c>IN</c> list).</summary>
    public const int MaxIds = 1000;

    protected override string? Validate(IClientConnection connection, IMUsersInfoReq request) =>
        AtMost(request.UserIdList.Count, MaxIds, "user info ids");

    protected override Task<DirectoryUser[]> AskAsync(IClientConnection connection, IMUsersInfoReq request) => request.UserIdList.Count == 0
        ? Task.FromResult<DirectoryUser[]>([])
        : grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync([.. request.UserIdList]);

    protected override IMUsersInfoRsp Map(IClientConnection connection, IMUsersInfoReq request, DirectoryUser[] users)
    {
        var response = new IMUsersInfoRsp { UserId = connection.UserId };
        foreach (var user in users)
        {
            response.UserInfoList.Add(ProtocolMapper.ToUserInfo(user));
        }

        return response;
    }
}
