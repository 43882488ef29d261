namespace TeamTalk.Orleans.Grains.Messaging;

/// <summary>
/// A message waiting in the committer: its row, the conversation's compare-and-set context, and the task its Session
/// awaits. <see cref="WriterToken"/> identifies the Session activation; <see cref="RecentSessionIds"/> are the
/// <c>IMRecentSession</c> rows of both parties, re-activated and bumped with the message.
/// </summary>
public sealed class PendingMessage(
    uint relateId,
    uint fromId,
    uint toId,
    uint msgId,
    uint created,
    uint type,
    string content,
    long writerToken,
    int[] recentSessionIds)
{
    private readonly TaskCompletionSource committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public uint RelateId { get; } = relateId;

    public uint FromId { get; } = fromId;

    public uint ToId { get; } = toId;

    public uint MsgId { get; } = msgId;

    public uint Created { get; } = created;

    public uint Type { get; } = type;

    public string Content { get; } = content;

    public long WriterToken { get; } = writerToken;

    public IReadOnlyList<int> RecentSessionIds { get; } = recentSessionIds;

    /// <summary>Completes when the batch holding this message committed; faults when it did not.</summary>
    public Task Committed => committed.Task;

    internal void Succeed() => committed.TrySetResult();

    internal void Fail(Exception reason) => committed.TrySetException(reason);
}

/// <summary>A message was not committed: its conversation's id watermark moved under it (another activation wrote).</summary>
public sealed class ConversationConflictException(uint relateId)
    : Exception($"Conversation {relateId}: the id watermark moved; another activation wrote it. The session reloads.");
