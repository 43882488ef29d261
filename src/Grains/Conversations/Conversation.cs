using System.Text;
using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// The conversation core that Relation and Group grains share (used from the owning grain's turns only):
/// ids allocated in memory in accept order after the highest id ever committed (invariant 2); each message made durable
/// through the silo's <see cref="MessageCommitter"/> before it is acknowledged (invariant 1); committed messages
/// delivered strictly in id order (invariant 3), one run at a time (the consecutive ready messages accepted for the same
/// recipients), each recipient's run in one call to its User grain, at least once and in order per member
/// (<see cref="MemberDelivery"/>); the latest message; history pages. A message is acknowledged (AppendAsync returns)
/// only once its run was handed to every member (delivered, or waiting for a member whose delivery is retried), so an
/// activation lost between commit and hand-off has acknowledged nothing it did not hand off. A failed commit abandons
/// its id (the ids after it need not wait) and tells the grain, which deactivates so that its next activation starts
/// again from what MySQL holds.
/// </summary>
public sealed partial class Conversation
{
    private const int MaxPage = 100;

    private readonly ConversationKind kind;
    private readonly string name;
    private readonly MessageCommitter committer;
    private readonly MessageStore messages;
    private readonly AudioHistory audio;
    private readonly Func<uint, IUserGrain> users;
    private readonly Action commitFailed;
    private readonly ILogger logger;
    private readonly OrderedDelivery<Outgoing> outbox;
    private readonly MemberDelivery members;
    private readonly long writerToken = Random.Shared.NextInt64(1, long.MaxValue);
    private uint lastAllocated;

    /// <param name="kind">Pair or group.</param>
    /// <param name="name">The conversation in log lines (the grain's key).</param>
    /// <param name="tail">Where the conversation stands in MySQL (<see cref="MessageStore.LoadTailAsync"/>).</param>
    /// <param name="committer">The silo's committer.</param>
    /// <param name="messages">History reads.</param>
    /// <param name="audio">Rebuilds the audio messages of history pages.</param>
    /// <param name="users">The User grain of a recipient (the grain caches them).</param>
    /// <param name="commitFailed">A commit failed (already logged): the grain deactivates.</param>
    /// <param name="delivery">Hand-off timeout, retry backoff and bounds of delivery to members.</param>
    /// <param name="time">The silo's clock.</param>
    /// <param name="logger">Where failures are logged.</param>
    public Conversation(
        ConversationKind kind,
        string name,
        ConversationTail tail,
        MessageCommitter committer,
        MessageStore messages,
        AudioHistory audio,
        Func<uint, IUserGrain> users,
        Action commitFailed,
        MemberDeliveryOptions delivery,
        TimeProvider time,
        ILogger logger)
    {
        this.kind = kind;
        this.name = name;
        this.committer = committer;
        this.messages = messages;
        this.audio = audio;
        this.users = users;
        this.commitFailed = commitFailed;
        this.logger = logger;
        lastAllocated = LastCommitted = tail.LastMsgId;
        Latest = tail.Latest;
        members = new MemberDelivery(name, delivery, time, logger);
        outbox = new OrderedDelivery<Outgoing>(lastAllocated + 1, (head, next) => ReferenceEquals(head.Recipients, next.Recipients), DeliverRunAsync);
    }

    /// <summary>The highest id allocated so far (committed or not).</summary>
    public uint LastAllocated => lastAllocated;

    /// <summary>The highest id known committed.</summary>
    public uint LastCommitted { get; private set; }

    /// <summary>Members whose delivery currently waits behind a failed or slow one.</summary>
    public int LaggingMembers => members.LaggingMembers;

    /// <summary>
    /// Waits (at most until <paramref name="cancellation"/>) until the members whose delivery lags have caught up:
    /// the owning grain calls it when it deactivates, so that acknowledged messages still on their way to a member
    /// are not dropped with the activation.
    /// </summary>
    public async Task WhenDeliveredAsync(CancellationToken cancellation) =>
        await members.WhenCaughtUpAsync().WaitAsync(cancellation).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);

    /// <summary>The newest committed message.</summary>
    public ChatMessage? Latest { get; private set; }

    /// <summary>
    /// Allocates the next id for <paramref name="message"/>, commits the row that <paramref name="row"/> makes for it
    /// (from the id, the text and the writer token), hands the stored message to <paramref name="recipients"/> in id
    /// order and returns it once handed off (see <see cref="MemberDelivery"/>: at most the hand-off timeout after the
    /// messages before it), with the recipients found on a phone. Throws when the commit failed (nothing is acknowledged).
    /// </summary>
    /// <param name="message">The validated message.</param>
    /// <param name="created">Its time (server clock, seconds).</param>
    /// <param name="recipients">The users it goes to (pass the same array instance while they do not change, so runs can form).</param>
    /// <param name="row">Makes the pending row.</param>
    public async Task<Appended> AppendAsync(SendMessage message, uint created, uint[] recipients, Func<uint, string, long, PendingMessage> row)
    {
        if (message.MsgType.IsAudio() != message.Audio is not null)
        {
            throw new ArgumentException($"a message of type {message.MsgType} {(message.Audio is null ? "without" : "with")} a voice blob", nameof(message));
        }

        var id = ++lastAllocated;
        try
        {
            await committer.CommitAsync(message.Audio is { } clip
                ? row(id, string.Empty, writerToken).WithAudio(new PendingAudio(message.FromUserId, message.ToSessionId, clip.BlobName, clip.Size, clip.Duration, created))
                : row(id, Encoding.UTF8.GetString(message.Data), writerToken));
        }
        catch (Exception ex)
        {
            LogCommitFailed(ex, name, id);
            commitFailed();
            _ = outbox.AbandonedAsync(id);
            throw;
        }

        LastCommitted = Math.Max(LastCommitted, id);
        var stored = new ChatMessage(id, message.FromUserId, created, message.MsgType, message.Data);
        if (Latest is null || id > Latest.MsgId)
        {
            Latest = stored;
        }

        var outgoing = new Outgoing(stored, message.ToSessionId, message.Connection, recipients, committer.Metrics.Timestamp());
        _ = outbox.CommittedAsync(id, outgoing);
        return new Appended(stored, await outgoing.HandedOff.Task);
    }

    /// <summary>Newest first from <paramref name="msgIdBegin"/> (0: the newest), at most 100, created at or after <paramref name="since"/>.</summary>
    public async Task<ChatMessage[]> HistoryAsync(uint conversationId, uint msgIdBegin, uint count, uint since) =>
        count == 0 ? [] : await audio.RebuildAsync(await messages.HistoryAsync(kind, conversationId, msgIdBegin, Math.Min(count, MaxPage), since));

    /// <summary>The messages with the given ids (the first 100 distinct ones) created at or after <paramref name="since"/>, newest first.</summary>
    public async Task<ChatMessage[]> ByIdsAsync(uint conversationId, uint[] msgIds, uint since) =>
        await audio.RebuildAsync(await messages.ByIdsAsync(kind, conversationId, [.. msgIds.Distinct().Take(MaxPage)], since));

    /// <summary>
    /// Hands one run to each of its recipients (all of it, except that a message skips the connection that sent it),
    /// then acknowledges its messages, with the recipients found on a phone.
    /// </summary>
    private async Task DeliverRunAsync(List<Outgoing> run)
    {
        uint[] onMobile = [];
        try
        {
            onMobile = await HandOffAsync(run);
        }
        finally
        {
            foreach (var outgoing in run)
            {
                outgoing.HandedOff.TrySetResult(onMobile);
            }
        }
    }

    private async Task<uint[]> HandOffAsync(List<Outgoing> run)
    {
        var pushes = new ClientPush[run.Count];
        var senders = new List<(uint From, ConnectionRef Connection)>(run.Count);
        for (var i = 0; i < run.Count; i++)
        {
            var m = run[i].Message;
            pushes[i] = new MessagePush(m.FromUserId, run[i].ToSessionId, m.MsgId, m.CreateTime, m.MsgType, m.Data);
            senders.Add((m.FromUserId, run[i].Connection));
        }

        var recipients = run[0].Recipients;
        var failed = true;
        try
        {
            var onMobile = await members.HandOffAsync(recipients, member => RunDelivery.ToMember(users(member), member, pushes, senders), run[0].Message.MsgId, run.Count);
            failed = false;
            return onMobile;
        }
        finally
        {
            committer.Metrics.Delivered(kind == ConversationKind.Group, recipients.Length, run[0].CommittedAt, failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {Conversation}: message {MsgId} not committed; the conversation reloads")]
    private partial void LogCommitFailed(Exception exception, string conversation, uint msgId);
}
