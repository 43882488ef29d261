using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary><c>CID_LOGIN_REQ_LOGINOUT</c>: replies <c>result_code = 0</c> (seq echo) and closes the connection.</summary>
internal sealed class LogoutHandler(ConnectionLog log) : CommandHandler<IMLogoutReq>(log)
{
    public override CommandKey Command => CommandKeys.LogoutRequest;

    protected override ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMLogoutReq request)
    {
        connection.TrySend(OutboundFrame.Message(CommandKeys.LogoutResponse, header.SeqNum, new IMLogoutRsp { ResultCode = 0 }));
        connection.CloseAfterFlush();
        return ValueTask.CompletedTask;
    }
}
