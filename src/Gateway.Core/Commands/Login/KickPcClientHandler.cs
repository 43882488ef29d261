using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Commands.Login;

/// <summary>
/// <c>CID_LOGIN_REQ_KICKPCCLIENT</c> (behaviour.md 3.3.4): a phone signs the user's PCs out. Served for mobile-class
/// connections only (a PC's request is logged, no reply). Every PC connection of the user, on any gateway, gets
/// <c>IMKickUser</c> (reason 2, mobile kick) and is closed; the reply (<c>result_code</c> 0, also when no PC was logged
/// in) follows once the kicks were handed to the gateways. When the cluster is unavailable: <c>result_code</c> 1.
/// </summary>
internal sealed class KickPcClientHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMKickPCClientReq, int, IMKickPCClientRsp>(CommandKeys.KickPcClientRequest, CommandKeys.KickPcClientResponse, log)
{
    protected override string? Validate(IClientConnection connection, IMKickPCClientReq request) =>
        connection.Device.IsMobile() ? null : "kick-PC request from a PC-class connection";

    protected override Task<int> AskAsync(IClientConnection connection, IMKickPCClientReq request) =>
        grains.GetUserGrain(connection.UserId).KickPcAsync();

    protected override IMKickPCClientRsp Map(IClientConnection connection, IMKickPCClientReq request, int kicked) =>
        new() { UserId = connection.UserId, ResultCode = 0 };

    protected override IMKickPCClientRsp Failed(IClientConnection connection, IMKickPCClientReq request) =>
        new() { UserId = connection.UserId, ResultCode = 1 };
}
