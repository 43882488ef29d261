using Google.Protobuf;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_UNREAD_CNT_REQUEST</c> (behaviour.md 3.4.5): per peer with unread messages, the count and the session's
/// latest message with its real sender (not defect 21). Counts live in MySQL.
/// </summary>
internal sealed class UnreadCountHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMUnreadMsgCntReq>(log)
{
    public override CommandKey Command => CommandKeys.UnreadRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMUnreadMsgCntReq request)
    {
        var (ok, sessions) = await AskAsync(connection, "unread count", () => grains.GetUserGrain(connection.UserId).GetUnreadAsync());
        if (!ok)
        {
            return;
        }

        var response = new IMUnreadMsgCntRsp { UserId = connection.UserId, TotalCnt = 0 };
        foreach (var session in sessions)
        {
            response.TotalCnt += session.UnreadCount;
            response.UnreadinfoList.Add(new UnreadInfo
            {
                SessionId = session.PeerId,
                SessionType = (SessionType)session.SessionType,
                UnreadCnt = session.UnreadCount,
                LatestMsgId = session.Latest.MsgId,
                LatestMsgData = ByteString.CopyFrom(session.Latest.Data),
                LatestMsgType = (MsgType)session.Latest.MsgType,
                LatestMsgFromUserId = session.Latest.FromUserId,
            });
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.UnreadResponse, header.SeqNum, response));
    }
}
