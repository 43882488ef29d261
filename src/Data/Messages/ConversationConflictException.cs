namespace TeamTalk.Orleans.Data.Messages;

/// <summary>A message was not committed: its conversation's id watermark moved under it (another activation wrote).</summary>
public sealed class ConversationConflictException : Exception
{
    public ConversationConflictException(ConversationKind kind, uint conversationId)
        : base($"{kind} conversation {conversationId}: the id watermark moved; another activation wrote it. The conversation reloads.")
    {
    }

    public ConversationConflictException()
    {
    }

    public ConversationConflictException(string message)
        : base(message)
    {
    }

    public ConversationConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
