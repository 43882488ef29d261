using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_CHANGE_AVATAR_REQUEST</c> (behaviour.md 3.6.6; the original never served it, defect 30): as the
/// sign info change, the user's own avatar URL (the request's <c>user_id</c> is ignored) through its
/// <see cref="IUserProfileGrain"/>; replies <c>result_code</c> 0, or 1 (longer than <c>IMUser.avatar</c>, or the
/// cluster unavailable).
/// </summary>
internal sealed class ChangeAvatarHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMChangeAvatarReq, bool, IMChangeAvatarRsp>(CommandKeys.ChangeAvatarRequest, CommandKeys.ChangeAvatarResponse, log)
{
    protected override Task<bool> AskAsync(IClientConnection connection, IMChangeAvatarReq request) =>
        grains.GetGrain<IUserProfileGrain>(connection.UserId).ChangeAvatarAsync(request.AvatarUrl);

    protected override IMChangeAvatarRsp Map(IClientConnection connection, IMChangeAvatarReq request, bool changed) =>
        new() { UserId = connection.UserId, ResultCode = changed ? 0u : 1u };

    protected override IMChangeAvatarRsp Failed(IClientConnection connection, IMChangeAvatarReq request) => Map(connection, request, changed: false);
}
