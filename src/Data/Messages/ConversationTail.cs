using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>Where a conversation stands: the highest id ever committed (watermark or rows, whichever is higher) and its newest message.</summary>
public sealed record ConversationTail(uint LastMsgId, ChatMessage? Latest);
