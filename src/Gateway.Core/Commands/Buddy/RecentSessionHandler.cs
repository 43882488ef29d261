using TeamTalk.Orleans.Gateway.Commands.Message;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_RECENT_CONTACT_SESSION_REQUEST</c> (behaviour.md 3.6.1): active sessions updated after
/// <c>latest_update_time</c>, newest first, at most 100, each with its latest message and its real sender.
/// </summary>
internal sealed class RecentSessionHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMRecentContactSessionReq, RecentSession[], IMRecentContactSessionRsp>(CommandKeys.RecentSessionRequest, CommandKeys.RecentSessionResponse, log)
{
    protected override Task<RecentSession[]> AskAsync(IClientConnection connection, IMRecentContactSessionReq request) =>
        grains.GetSessionGrain(connection.UserId).GetRecentSessionsAsync(request.LatestUpdateTime);

    protected override IMRecentContactSessionRsp Map(IClientConnection connection, IMRecentContactSessionReq request, RecentSession[] sessions)
    {
        var response = new IMRecentContactSessionRsp { UserId = connection.UserId };
        foreach (var session in sessions)
        {
            response.ContactSessionList.Add(new ContactSessionInfo
            {
                SessionId = session.SessionId,
                SessionType = (SessionType)session.SessionType,
                SessionStatus = SessionStatusType.SessionStatusOk,
                UpdatedTime = session.Updated,
                LatestMsgId = session.Latest.MsgId,
                LatestMsgData = VoiceText.LatestData(session.Latest),
                LatestMsgType = (MsgType)session.Latest.MsgType,
                LatestMsgFromUserId = session.Latest.FromUserId,
            });
        }

        return response;
    }
}
