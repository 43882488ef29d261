using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_CHANGE_SIGN_INFO_REQUEST</c> (behaviour.md 3.6.8): the user's own signature (the request's
/// <c>user_id</c> is ignored) through its <see cref="IUserProfileGrain"/>, which validates, writes and notifies the
/// organisation before it answers. Replies <c>result_code</c> 0 with the new <c>sign_info</c>, or 1 (too long, or the
/// cluster unavailable) without it.
/// </summary>
internal sealed class ChangeSignInfoHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMChangeSignInfoReq, bool, IMChangeSignInfoRsp>(CommandKeys.ChangeSignInfoRequest, CommandKeys.ChangeSignInfoResponse, log)
{
    protected override Task<bool> AskAsync(IClientConnection connection, IMChangeSignInfoReq request) =>
        grains.GetGrain<IUserProfileGrain>(connection.UserId).ChangeSignInfoAsync(request.SignInfo);

    protected override IMChangeSignInfoRsp Map(IClientConnection connection, IMChangeSignInfoReq request, bool changed)
    {
        var response = new IMChangeSignInfoRsp { UserId = connection.UserId, ResultCode = changed ? 0u : 1u };
        if (changed)
        {
            response.SignInfo = request.SignInfo;
        }

        return response;
    }

    protected override IMChangeSignInfoRsp Failed(IClientConnection connection, IMChangeSignInfoReq request) => Map(connection, request, changed: false);
}
