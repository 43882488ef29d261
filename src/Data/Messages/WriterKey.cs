namespace TeamTalk.Orleans.Data.Messages;

/// <summary>One writer (conversation grain activation) of one conversation, as the id watermark records it.</summary>
public readonly record struct WriterKey(ConversationKind Kind, uint Id, long Token)
{
    public static WriterKey Of(PendingMessage message) => new(message.Kind, message.ConversationId, message.WriterToken);
}
