namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A stored message (a row of <c>IMMessage_n</c> or <c>IMGroupMessage_n</c>), as history and session summaries return it.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatMessage(
    [property: Id(0)] uint MsgId,
    [property: Id(1)] uint FromUserId,
    [property: Id(2)] uint CreateTime,
    [property: Id(3)] MessageType MsgType,
    [property: Id(4)] byte[] Data);
