using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_UNREAD_CNT_REQUEST</c> (behaviour.md 3.4.5): per peer with unread messages, the count and the session's
/// latest message with its real sender (not defect 21). Counts live in MySQL.
/// </summary>
internal sealed class UnreadCountHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMUnreadMsgCntReq, UnreadSession[], IMUnreadMsgCntRsp>(CommandKeys.UnreadRequest, CommandKeys.UnreadResponse, log)
{
    protected override Task<UnreadSession[]> AskAsync(IClientConnection connection, IMUnreadMsgCntReq request) =>
        grains.GetSessionGrain(connection.UserId).GetUnreadAsync();

    protected override IMUnreadMsgCntRsp Map(IClientConnection connection, IMUnreadMsgCntReq request, UnreadSession[] sessions)
    {
        var response = new IMUnreadMsgCntRsp { UserId = connection.UserId, TotalCnt = 0 };
        foreach (var session in sessions)
        {
            response.TotalCnt += session.UnreadCount;
            response.UnreadinfoList.Add(new UnreadInfo
            {
                SessionId = session.SessionId,
                SessionType = (SessionType)session.SessionType,
                UnreadCnt = session.UnreadCount,
                LatestMsgId = session.Latest.MsgId,
                LatestMsgData = VoiceText.LatestData(session.Latest),
                LatestMsgType = (MsgType)session.Latest.MsgType,
                LatestMsgFromUserId = session.Latest.FromUserId,
            });
        }

        return response;
    }
}
