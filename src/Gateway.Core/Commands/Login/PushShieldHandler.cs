using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Commands.Login;

/// <summary>
/// <c>CID_LOGIN_REQ_PUSH_SHIELD</c> (behaviour.md 3.3.5): the user turns push do-not-disturb on (1) or off (0), stored in
/// <c>IMUser.push_shield_status</c>. Reply <c>result_code</c> 0 with the stored value, or 1 (no value) when the row
/// was not updated or the cluster is unavailable.
/// </summary>
internal sealed class PushShieldHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMPushShieldReq, PushShield, IMPushShieldRsp>(CommandKeys.PushShieldRequest, CommandKeys.PushShieldResponse, log)
{
    protected override Task<PushShield> AskAsync(IClientConnection connection, IMPushShieldReq request) =>
        grains.GetDeviceGrain().SetPushShieldAsync(connection.UserId, request.ShieldStatus);

    protected override IMPushShieldRsp Map(IClientConnection connection, IMPushShieldReq request, PushShield answer)
    {
        var reply = new IMPushShieldRsp { UserId = connection.UserId, ResultCode = answer.Ok ? 0u : 1u };
        if (answer.Ok)
        {
            reply.ShieldStatus = answer.ShieldStatus;
        }

        return reply;
    }

    protected override IMPushShieldRsp Failed(IClientConnection connection, IMPushShieldReq request) =>
        Map(connection, request, new PushShield(Ok: false, 0));
}
