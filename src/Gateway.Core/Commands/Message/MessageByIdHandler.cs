using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary><c>CID_MSG_GET_BY_MSG_ID_REQ</c> (behaviour.md 3.4.7): the listed messages (at most 100 ids), newest first.</summary>
internal sealed class MessageByIdHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMGetMsgByIdReq, ChatMessage[], IMGetMsgByIdRsp>(CommandKeys.ByIdRequest, CommandKeys.ByIdResponse, log)
{
    private const int MaxIds = 100;

    protected override string? Validate(IClientConnection connection, IMGetMsgByIdReq request) =>
        AtMost(request.MsgIdList.Count, MaxIds, "message ids");

    protected override Task<ChatMessage[]> AskAsync(IClientConnection connection, IMGetMsgByIdReq request) =>
        Conversation.Of(grains, connection, request.SessionType, request.SessionId) is { } session && request.MsgIdList.Count > 0
            ? session.GetByIdsAsync(connection.UserId, [.. request.MsgIdList])
            : Task.FromResult<ChatMessage[]>([]);

    protected override IMGetMsgByIdRsp Map(IClientConnection connection, IMGetMsgByIdReq request, ChatMessage[] messages)
    {
        var response = new IMGetMsgByIdRsp { UserId = connection.UserId, SessionType = request.SessionType, SessionId = request.SessionId };
        Conversation.AddAll(response.MsgList, messages);
        return response;
    }
}
