using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary><c>CID_MSG_GET_LATEST_MSG_ID_REQ</c> (behaviour.md 3.4.8): the newest committed id, 0 when none (or for a group the requester is not a member of, defect 6).</summary>
internal sealed class LatestMessageIdHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMGetLatestMsgIdReq, ChatMessage?, IMGetLatestMsgIdRsp>(CommandKeys.LatestIdRequest, CommandKeys.LatestIdResponse, log)
{
    protected override Task<ChatMessage?> AskAsync(IClientConnection connection, IMGetLatestMsgIdReq request) =>
        Conversation.Of(grains, connection, request.SessionType, request.SessionId) is { } session
            ? session.GetLatestAsync(connection.UserId)
            : Task.FromResult<ChatMessage?>(null);

    protected override IMGetLatestMsgIdRsp Map(IClientConnection connection, IMGetLatestMsgIdReq request, ChatMessage? latest) => new()
    {
        UserId = connection.UserId,
        SessionType = request.SessionType,
        SessionId = request.SessionId,
        LatestMsgId = latest?.MsgId ?? 0,
    };
}
