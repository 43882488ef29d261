using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary><c>CID_MSG_TIME_REQUEST</c> (behaviour.md 3.4.4): <c>IMClientTimeRsp{server_time = now}</c>, seq echo.</summary>
internal sealed class TimeHandler(TimeProvider time, ConnectionLog log) : CommandHandler<IMClientTimeReq>(log)
{
    public override CommandKey Command => CommandKeys.TimeRequest;

    protected override ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMClientTimeReq request)
    {
        connection.TrySend(OutboundFrame.Message(CommandKeys.TimeResponse, header.SeqNum, new IMClientTimeRsp
        {
            ServerTime = (uint)time.GetUtcNow().ToUnixTimeSeconds(),
        }));
        return ValueTask.CompletedTask;
    }
}
