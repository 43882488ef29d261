using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Commands.Login;

/// <summary>
/// <c>CID_LOGIN_REQ_DEVICETOKEN</c> (behaviour.md 3.3.3): a phone registers its push token. Served for mobile-class
/// connections only (a PC's request is logged, no reply). The token is stored in MySQL with the connection's device
/// type (not the request's) as the phone of the connection's user, moving it from any other user; the reply carries
/// <c>user_id</c> (the original left it out, defect 25) and is sent once the token is stored. When the cluster cannot
/// store it, no reply (the response has no result code to say so; the phone registers again at its next login).
/// </summary>
internal sealed class DeviceTokenHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMDeviceTokenReq, bool, IMDeviceTokenRsp>(CommandKeys.DeviceTokenRequest, CommandKeys.DeviceTokenResponse, log)
{
    protected override string? Validate(IClientConnection connection, IMDeviceTokenReq request) =>
        !connection.Device.IsMobile() ? "device token from a PC-class connection"
        : request.DeviceToken.Length is 0 or > DeviceToken.MaxLength ? $"device token of {request.DeviceToken.Length} characters (1 to {DeviceToken.MaxLength})"
        : null;

    protected override async Task<bool> AskAsync(IClientConnection connection, IMDeviceTokenReq request)
    {
        await grains.GetDeviceGrain().SetTokenAsync(new DeviceToken(connection.UserId, request.DeviceToken, connection.Device));
        return true;
    }

    protected override IMDeviceTokenRsp Map(IClientConnection connection, IMDeviceTokenReq request, bool stored) =>
        new() { UserId = connection.UserId };
}
