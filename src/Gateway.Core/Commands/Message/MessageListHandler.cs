using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_LIST_REQUEST</c> (behaviour.md 3.4.6): newest first from <c>msg_id_begin</c> (0: the newest),
/// <c>msg_cnt</c> capped at 100. Only the two parties, or the group's members (from their join time on), get messages;
/// anyone else gets an empty list.
/// </summary>
internal sealed class MessageListHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMGetMsgListReq, ChatMessage[], IMGetMsgListRsp>(CommandKeys.ListRequest, CommandKeys.ListResponse, log)
{
    protected override Task<ChatMessage[]> AskAsync(IClientConnection connection, IMGetMsgListReq request) =>
        Conversation.Of(grains, connection, request.SessionType, request.SessionId) is { } session
            ? session.GetHistoryAsync(connection.UserId, request.MsgIdBegin, request.MsgCnt)
            : Task.FromResult<ChatMessage[]>([]);

    protected override IMGetMsgListRsp Map(IClientConnection connection, IMGetMsgListReq request, ChatMessage[] messages)
    {
        var response = new IMGetMsgListRsp
        {
            UserId = connection.UserId,
            SessionType = request.SessionType,
            SessionId = request.SessionId,
            MsgIdBegin = request.MsgIdBegin,
        };
        Conversation.AddAll(response.MsgList, messages);
        return response;
    }
}
