using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>
/// A message waiting in the committer: its row, the conversation's compare-and-set context, and the task its conversation
/// grain awaits. <see cref="WriterToken"/> identifies the grain activation; <see cref="RecentSessionIds"/> are the
/// <c>IMRecentSession</c> rows re-activated and bumped with the message (both parties of a 1:1 message; none for a
/// group message, whose Group grain touches its members' sessions itself).
/// </summary>
public sealed class PendingMessage
{
    private readonly TaskCompletionSource committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PendingMessage(
        ConversationKind kind, uint conversationId, uint fromId, uint toId, uint msgId, uint created, MessageType type, string content, long writerToken, int[] recentSessionIds)
    {
        Kind = kind;
        ConversationId = conversationId;
        FromId = fromId;
        ToId = toId;
        MsgId = msgId;
        Created = created;
        Type = type;
        Content = content;
        WriterToken = writerToken;
        RecentSessionIds = recentSessionIds;
    }

    public ConversationKind Kind { get; }

    /// <summary>The relation id (1:1) or the group id.</summary>
    public uint ConversationId { get; }

    public uint FromId { get; }

    /// <summary>The receiver of a 1:1 message; 0 for a group message.</summary>
    public uint ToId { get; }

    public uint MsgId { get; }

    public uint Created { get; }

    public MessageType Type { get; }

    public string Content { get; }

    public long WriterToken { get; }

    public IReadOnlyList<int> RecentSessionIds { get; }

    /// <summary>The <c>IMAudio</c> row of an audio message (its row's <c>content</c> is that row's id); null for text.</summary>
    public PendingAudio? Audio { get; private set; }

    /// <summary>Completes when the batch holding this message committed; faults when it did not.</summary>
    public Task Committed => committed.Task;

    /// <summary>A 1:1 message of relation <paramref name="relateId"/>.</summary>
    public static PendingMessage ForPair(
        uint relateId, uint fromId, uint toId, uint msgId, uint created, MessageType type, string content, long writerToken, int[] recentSessionIds) =>
        new(ConversationKind.Pair, relateId, fromId, toId, msgId, created, type, content, writerToken, recentSessionIds);

    /// <summary>A message of group <paramref name="groupId"/>; committing it also moves the sender's read position to it.</summary>
    public static PendingMessage ForGroup(uint groupId, uint fromId, uint msgId, uint created, MessageType type, string content, long writerToken) =>
        new(ConversationKind.Group, groupId, fromId, 0, msgId, created, type, content, writerToken, []);

    /// <summary>Makes this an audio message stored with <paramref name="audio"/>; returns this message.</summary>
    public PendingMessage WithAudio(PendingAudio audio)
    {
        Audio = audio;
        return this;
    }

    /// <summary>The batch committed.</summary>
    public void Succeed() => committed.TrySetResult();

    /// <summary>The batch did not commit.</summary>
    public void Fail(Exception reason) => committed.TrySetException(reason);
}
