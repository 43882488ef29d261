using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Messaging;

/// <summary>
/// One 1:1 conversation. Ids are allocated in memory in accept order, starting after the highest id ever committed
/// (the watermark or the messages table, whichever is higher); each message is handed to the silo's
/// <see cref="MessageCommitter"/> and acknowledged only after its batch committed. Committed messages are delivered
/// strictly in id order: one delivery run at a time, to the receiver's connections and the sender's other ones.
/// A failed commit deactivates the grain, so the next activation starts again from what MySQL holds.
/// </summary>
public sealed partial class SessionGrain(
    MessageStore store,
    MessageCommitter committer,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private const uint SingleSession = 1;
    private const int MaxPage = 100;

    private readonly long writerToken = Random.Shared.NextInt64(1, long.MaxValue);
    private uint small;
    private uint big;
    private IUserGrain? smallUser;
    private IUserGrain? bigUser;
    private bool usersExist;
    private uint relateId;
    private int[]? recentSessionIds;
    private Task? ensuring;
    private uint lastAllocated;
    private uint lastCommitted;
    private OrderedDelivery<Committed>? outbox;
    private ChatMessage? latest;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split(':');
        if (parts is not ["single", var a, var b]
            || !uint.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out small)
            || !uint.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out big))
        {
            throw new InvalidOperationException($"Not a 1:1 session key: {this.GetPrimaryKeyString()}");
        }

        // Resolved once: GetGrain costs a type lookup each time, which adds up at thousands of messages per second.
        smallUser = grains.GetUserGrain(small);
        bigUser = grains.GetUserGrain(big);
        usersExist = small != big && await store.UsersExistAsync(small, big);
        var snapshot = await store.LoadAsync(small, big);
        relateId = snapshot.RelateId;
        lastAllocated = lastCommitted = snapshot.LastMsgId;
        outbox = new OrderedDelivery<Committed>(lastAllocated + 1, (_, _) => true, DeliverRunAsync);
        latest = snapshot.Latest;
    }

    public async Task<SendResult> SendAsync(SendMessage message)
    {
        if (!IsParty(message.FromUserId) || !IsParty(message.ToSessionId) || message.FromUserId == message.ToSessionId)
        {
            throw new ArgumentException($"{message.FromUserId} → {message.ToSessionId} is not conversation {small}:{big}", nameof(message));
        }

        if (!usersExist)
        {
            return new SendResult(SendStatus.UnknownPeer, 0, 0);
        }

        if (recentSessionIds is null)
        {
            await EnsureRowsAsync();
        }

        var created = Now();
        var id = ++lastAllocated;
        var pending = PendingMessage.ForPair(
            relateId, message.FromUserId, message.ToSessionId, id, created, message.MsgType, Encoding.UTF8.GetString(message.Data), writerToken, recentSessionIds!);
        try
        {
            await committer.CommitAsync(pending);
        }
        catch (Exception ex)
        {
            LogCommitFailed(ex, relateId, id);
            DeactivateOnIdle();
            _ = outbox!.AbandonedAsync(id);
            throw;
        }

        lastCommitted = Math.Max(lastCommitted, id);
        var stored = new ChatMessage(id, message.FromUserId, created, message.MsgType, message.Data);
        if (latest is null || id > latest.MsgId)
        {
            latest = stored;
        }

        _ = outbox!.CommittedAsync(id, new Committed(stored, message.ToSessionId, message.Connection));
        return new SendResult(SendStatus.Committed, id, created);
    }

    public async Task MarkReadAsync(uint userId, uint msgId, ConnectionRef from)
    {
        if (!IsParty(userId) || relateId == 0)
        {
            return;
        }

        var upTo = Math.Min(msgId, lastCommitted);
        await store.MarkReadAsync(relateId, userId, Peer(userId), upTo, Now());
        await UserGrain(userId).DeliverAsync([new ReadNotifyPush(userId, Peer(userId), msgId, SingleSession)], from);
    }

    public async Task<ChatMessage[]> GetHistoryAsync(uint requester, uint msgIdBegin, uint count) =>
        IsParty(requester) && relateId != 0 && count > 0
            ? await store.HistoryAsync(relateId, msgIdBegin, Math.Min(count, MaxPage))
            : [];

    public async Task<ChatMessage[]> GetByIdsAsync(uint requester, uint[] msgIds) =>
        IsParty(requester) && relateId != 0
            ? await store.ByIdsAsync(relateId, [.. msgIds.Distinct().Take(MaxPage)])
            : [];

    public Task<ChatMessage?> GetLatestAsync(uint requester) => Task.FromResult(IsParty(requester) ? latest : null);

    private bool IsParty(uint userId) => userId == small || userId == big;

    private uint Peer(uint userId) => userId == small ? big : small;

    private IUserGrain UserGrain(uint userId) => userId == small ? smallUser! : bigUser!;

    private uint Now() => (uint)time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Creates the relation and recent-session rows on the first send (once per activation; callers share it).</summary>
    private async Task EnsureRowsAsync()
    {
        var task = ensuring ??= CreateRowsAsync();
        try
        {
            await task;
        }
        catch
        {
            ensuring = null;
            throw;
        }
    }

    private async Task CreateRowsAsync()
    {
        var now = Now();
        if (relateId == 0)
        {
            relateId = await store.EnsureRelationAsync(small, big, now);
        }

        recentSessionIds = await store.EnsureRecentSessionsAsync(small, big, now);
    }

    /// <summary>Delivers one run (the consecutive messages ready together, whoever sent them) to every party.</summary>
    private async Task DeliverRunAsync(List<Committed> run)
    {
        var first = run[0];
        var pushes = run.Select(c => (ClientPush)new MessagePush(
            c.Message.FromUserId, c.ToUserId, c.Message.MsgId, c.Message.CreateTime, c.Message.MsgType, c.Message.Data)).ToArray();
        var senders = run.Select(c => (c.Message.FromUserId, c.Connection)).ToList();
        try
        {
            await Task.WhenAll(
                RunDelivery.ToMember(smallUser!, small, pushes, senders),
                RunDelivery.ToMember(bigUser!, big, pushes, senders));
        }
        catch (Exception ex)
        {
            // Committed messages stay findable through unread counts and history; delivery goes on with the next run.
            LogDeliveryFailed(ex, relateId, first.Message.MsgId, run.Count);
        }
    }

    private sealed record Committed(ChatMessage Message, uint ToUserId, ConnectionRef Connection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {RelateId}: message {MsgId} not committed; the session reloads")]
    private partial void LogCommitFailed(Exception exception, uint relateId, uint msgId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {RelateId}: delivery of {Count} messages from {MsgId} failed")]
    private partial void LogDeliveryFailed(Exception exception, uint relateId, uint msgId, int count);
}
