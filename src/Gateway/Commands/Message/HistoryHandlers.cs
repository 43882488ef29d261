using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_LIST_REQUEST</c> (behaviour.md 3.4.6): newest first from <c>msg_id_begin</c> (0: the newest),
/// <c>msg_cnt</c> capped at 100. Only the two parties, or the group's members (from their join time on), get messages;
/// anyone else gets an empty list.
/// </summary>
internal sealed class MessageListHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMGetMsgListReq>(log)
{
    public override CommandKey Command => CommandKeys.ListRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMGetMsgListReq request)
    {
        var response = new IMGetMsgListRsp
        {
            UserId = connection.UserId,
            SessionType = request.SessionType,
            SessionId = request.SessionId,
            MsgIdBegin = request.MsgIdBegin,
        };
        if (Conversation.Of(grains, connection, request.SessionType, request.SessionId) is { } session)
        {
            var (ok, messages) = await AskAsync(connection, "message list", () => session.GetHistoryAsync(connection.UserId, request.MsgIdBegin, request.MsgCnt));
            if (!ok)
            {
                return;
            }

            Conversation.AddAll(response.MsgList, messages);
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.ListResponse, header.SeqNum, response));
    }
}

/// <summary><c>CID_MSG_GET_BY_MSG_ID_REQ</c> (behaviour.md 3.4.7): the listed messages (at most 100 ids), newest first.</summary>
internal sealed class MessageByIdHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMGetMsgByIdReq>(log)
{
    private const int MaxIds = 100;

    public override CommandKey Command => CommandKeys.ByIdRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMGetMsgByIdReq request)
    {
        if (request.MsgIdList.Count > MaxIds)
        {
            Log.Rejected(connection, header, $"{request.MsgIdList.Count} message ids asked; at most {MaxIds}");
            return;
        }

        var response = new IMGetMsgByIdRsp { UserId = connection.UserId, SessionType = request.SessionType, SessionId = request.SessionId };
        if (Conversation.Of(grains, connection, request.SessionType, request.SessionId) is { } session && request.MsgIdList.Count > 0)
        {
            var (ok, messages) = await AskAsync(connection, "messages by id", () => session.GetByIdsAsync(connection.UserId, [.. request.MsgIdList]));
            if (!ok)
            {
                return;
            }

            Conversation.AddAll(response.MsgList, messages);
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.ByIdResponse, header.SeqNum, response));
    }
}

/// <summary><c>CID_MSG_GET_LATEST_MSG_ID_REQ</c> (behaviour.md 3.4.8): the newest committed id, 0 when none (or for a group the requester is not a member of, defect 6).</summary>
internal sealed class LatestMessageIdHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMGetLatestMsgIdReq>(log)
{
    public override CommandKey Command => CommandKeys.LatestIdRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMGetLatestMsgIdReq request)
    {
        ChatMessage? latest = null;
        if (Conversation.Of(grains, connection, request.SessionType, request.SessionId) is { } session)
        {
            var (ok, found) = await AskAsync(connection, "latest message id", () => session.GetLatestAsync(connection.UserId));
            if (!ok)
            {
                return;
            }

            latest = found;
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.LatestIdResponse, header.SeqNum, new IMGetLatestMsgIdRsp
        {
            UserId = connection.UserId,
            SessionType = request.SessionType,
            SessionId = request.SessionId,
            LatestMsgId = latest?.MsgId ?? 0,
        }));
    }
}

/// <summary>Shared pieces of the history handlers.</summary>
internal static class Conversation
{
    /// <summary>The conversation a request names (a 1:1 session or a group), or null (empty answer) for session 0 or a session with oneself.</summary>
    public static IConversationGrain? Of(IGrainFactory grains, IClientConnection connection, SessionType type, uint sessionId) =>
        sessionId == 0 || (type == SessionType.Single && sessionId == connection.UserId)
            ? null
            : connection.Conversation(type == SessionType.Group, sessionId, grains);

    public static void AddAll(Google.Protobuf.Collections.RepeatedField<MsgInfo> list, ChatMessage[] messages)
    {
        foreach (var message in messages)
        {
            list.Add(new MsgInfo
            {
                MsgId = message.MsgId,
                FromSessionId = message.FromUserId,
                CreateTime = message.CreateTime,
                MsgType = (MsgType)message.MsgType,
                MsgData = Google.Protobuf.ByteString.CopyFrom(message.Data),
            });
        }
    }
}
