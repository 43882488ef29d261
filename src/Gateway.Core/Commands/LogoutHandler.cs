using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// <c>CID_LOGIN_REQ_LOGINOUT</c> (behaviour.md 3.3.2): a mobile-class connection's logout first drops the user's push
/// token of that device type (the logged-out phone gets no pushes); a PC's logout touches no token (the original
/// cleared it on any logout, defect 26). Then replies <c>result_code = 0</c> (seq echo) and closes the connection; a
/// failure to clear the token is logged and the logout proceeds.
/// </summary>
internal sealed class LogoutHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMLogoutReq>(log)
{
    public override CommandKey Command => CommandKeys.LogoutRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMLogoutReq request)
    {
        if (connection.Device.IsMobile())
        {
            await AskAsync(connection, "clearing the push token at logout",
                () => grains.GetDeviceGrain().ClearTokenAsync(connection.UserId, connection.Device));
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.LogoutResponse, header.SeqNum, new IMLogoutRsp { ResultCode = 0 }));
        connection.CloseAfterFlush();
    }
}
