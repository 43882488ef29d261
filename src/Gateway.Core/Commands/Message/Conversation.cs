using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

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
