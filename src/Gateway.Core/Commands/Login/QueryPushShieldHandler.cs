using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Commands.Login;

/// <summary>
/// <c>CID_LOGIN_REQ_QUERY_PUSH_SHIELD</c> (behaviour.md 3.3.6): the user's push do-not-disturb flag from
/// <c>IMUser.push_shield_status</c>. Reply <c>result_code</c> 0 with the flag, or 1 (no flag) when the row is missing or
/// the cluster is unavailable.
/// </summary>
internal sealed class QueryPushShieldHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMQueryPushShieldReq, PushShield, IMQueryPushShieldRsp>(CommandKeys.QueryPushShieldRequest, CommandKeys.QueryPushShieldResponse, log)
{
    protected override Task<PushShield> AskAsync(IClientConnection connection, IMQueryPushShieldReq request) =>
        grains.GetDeviceGrain().GetPushShieldAsync(connection.UserId);

    protected override IMQueryPushShieldRsp Map(IClientConnection connection, IMQueryPushShieldReq request, PushShield answer)
    {
        var reply = new IMQueryPushShieldRsp { UserId = connection.UserId, ResultCode = answer.Ok ? 0u : 1u };
        if (answer.Ok)
        {
            reply.ShieldStatus = answer.ShieldStatus;
        }

        return reply;
    }

    protected override IMQueryPushShieldRsp Failed(IClientConnection connection, IMQueryPushShieldReq request) =>
        Map(connection, request, new PushShield(Ok: false, 0));
}
