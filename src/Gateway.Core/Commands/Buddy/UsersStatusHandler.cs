using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_USERS_STATUS_REQUEST</c> (behaviour.md 3.6.5): one entry per requested id, in request order with
/// duplicates kept: ONLINE iff the user has a PC-class connection on some live gateway, else OFFLINE (mobile-only
/// users are OFFLINE; LEAVE is never returned). More than <see cref="MaxIds"/> ids are rejected (logged, no reply).
/// </summary>
internal sealed class UsersStatusHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMUsersStatReq, uint[], IMUsersStatRsp>(CommandKeys.UsersStatusRequest, CommandKeys.UsersStatusResponse, log)
{
    /// <summary>
    /// Most ids one request may ask for. PC clients ask for whole contact lists, so this is larger than for profiles;
    /// the answer costs one call per gateway whatever the count.
    /// </summary>
    public const int MaxIds = 10_000;

    protected override string? Validate(IClientConnection connection, IMUsersStatReq request) =>
        AtMost(request.UserIdList.Count, MaxIds, "user status ids");

    protected override Task<uint[]> AskAsync(IClientConnection connection, IMUsersStatReq request) => request.UserIdList.Count == 0
        ? Task.FromResult<uint[]>([])
        : grains.GetGrain<IPresenceGrain>(0).GetPcOnlineAsync([.. request.UserIdList]);

    protected override IMUsersStatRsp Map(IClientConnection connection, IMUsersStatReq request, uint[] pcOnline) =>
        BuildResponse(connection.UserId, request.UserIdList, new HashSet<uint>(pcOnline));

    /// <summary>The reply: one entry per requested id, in order, duplicates kept.</summary>
    public static IMUsersStatRsp BuildResponse(uint self, IEnumerable<uint> requested, IReadOnlySet<uint> pcOnline)
    {
        var response = new IMUsersStatRsp { UserId = self };
        foreach (var id in requested)
        {
            response.UserStatList.Add(new UserStat
            {
                UserId = id,
                Status = pcOnline.Contains(id) ? UserStatType.UserStatusOnline : UserStatType.UserStatusOffline,
            });
        }

        return response;
    }
}
