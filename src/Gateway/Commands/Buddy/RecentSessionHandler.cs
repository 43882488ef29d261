using Google.Protobuf;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_RECENT_CONTACT_SESSION_REQUEST</c> (behaviour.md 3.6.1): active sessions updated after
/// <c>latest_update_time</c>, newest first, at most 100, each with its latest message and its real sender.
/// </summary>
internal sealed class RecentSessionHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMRecentContactSessionReq>(log)
{
    public override CommandKey Command => CommandKeys.RecentSessionRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMRecentContactSessionReq request)
    {
        var (ok, sessions) = await AskAsync(connection, "recent sessions", () => grains.GetUserGrain(connection.UserId).GetRecentSessionsAsync(request.LatestUpdateTime));
        if (!ok)
        {
            return;
        }

        var response = new IMRecentContactSessionRsp { UserId = connection.UserId };
        foreach (var session in sessions)
        {
            response.ContactSessionList.Add(new ContactSessionInfo
            {
                SessionId = session.PeerId,
                SessionType = (SessionType)session.SessionType,
                SessionStatus = SessionStatusType.SessionStatusOk,
                UpdatedTime = session.Updated,
                LatestMsgId = session.Latest.MsgId,
                LatestMsgData = ByteString.CopyFrom(session.Latest.Data),
                LatestMsgType = (MsgType)session.Latest.MsgType,
                LatestMsgFromUserId = session.Latest.FromUserId,
            });
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.RecentSessionResponse, header.SeqNum, response));
    }
}
