using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Messaging;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Groups;

/// <summary>
/// One group: its row, its members and their join times, and its conversation. Ids are allocated in memory in accept
/// order, after the highest id ever committed (our watermark or the messages table); each message goes through the
/// silo's <see cref="MessageCommitter"/> and is acknowledged only once committed. A message goes to the members of the
/// moment it was accepted, every connection of each (the sending connection excepted), strictly in id order. Membership
/// changes are serialised by the grain and committed before the grain's view changes. A failed commit deactivates the
/// grain, so the next activation starts again from what MySQL holds.
/// </summary>
public sealed partial class GroupGrain(
    GroupStore store,
    MessageCommitter committer,
    IOptions<GroupOptions> options,
    TimeProvider time,
    ILogger<GroupGrain> logger) : Grain, IGroupGrain
{
    private const uint GroupSession = 2;
    private const int MaxPage = 100;
    private const uint TemporaryGroup = 2;

    private readonly GroupOptions settings = options.Value;
    private readonly long writerToken = Random.Shared.NextInt64(1, long.MaxValue);
    private readonly Dictionary<uint, IUserGrain> users = [];
    private GroupRow? row;
    private Dictionary<uint, uint> joined = [];
    private uint[] roster = [];
    private Dictionary<uint, uint> shields = [];
    private uint lastAllocated;
    private uint lastCommitted;
    private OrderedDelivery<Committed>? outbox;
    private ChatMessage? latest;
    private uint latestChat;
    private bool touchPending;
    private bool touching;

    private uint GroupId => (uint)this.GetPrimaryKeyLong();

    /// <summary>The original's rule: a group exists while it has a member.</summary>
    private bool Exists => row is not null && roster.Length > 0;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(GroupId);
        row = snapshot.Row;
        SetMembers(snapshot.Members);
        shields = snapshot.Shields;
        lastAllocated = lastCommitted = snapshot.LastMsgId;
        outbox = new OrderedDelivery<Committed>(lastAllocated + 1, (head, next) => ReferenceEquals(head.Recipients, next.Recipients), DeliverRunAsync);
        latest = snapshot.Latest;
    }

    public async Task<SendResult> SendAsync(SendMessage message)
    {
        if (message.ToSessionId != GroupId)
        {
            throw new ArgumentException($"a message to {message.ToSessionId} is not for group {GroupId}", nameof(message));
        }

        if (!Exists || !joined.ContainsKey(message.FromUserId))
        {
            return new SendResult(SendStatus.NotMember, 0, 0);
        }

        var recipients = roster;
        var created = Now();
        var id = ++lastAllocated;
        var pending = PendingMessage.ForGroup(GroupId, message.FromUserId, id, created, message.MsgType, Encoding.UTF8.GetString(message.Data), writerToken);
        try
        {
            await committer.CommitAsync(pending);
        }
        catch (Exception ex)
        {
            LogCommitFailed(ex, GroupId, id);
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

        _ = outbox!.CommittedAsync(id, new Committed(stored, recipients, message.Connection));
        TouchSessions(created);
        return new SendResult(SendStatus.Committed, id, created);
    }

    public async Task MarkReadAsync(uint userId, uint msgId, ConnectionRef from)
    {
        if (!joined.ContainsKey(userId))
        {
            return;
        }

        await store.MarkReadAsync(GroupId, userId, Math.Min(msgId, lastCommitted), Now());
        await User(userId).DeliverAsync([new ReadNotifyPush(userId, GroupId, msgId, GroupSession)], from);
    }

    public async Task<ChatMessage[]> GetHistoryAsync(uint requester, uint msgIdBegin, uint count) =>
        joined.TryGetValue(requester, out var since) && count > 0
            ? await store.HistoryAsync(GroupId, msgIdBegin, Math.Min(count, MaxPage), since)
            : [];

    public async Task<ChatMessage[]> GetByIdsAsync(uint requester, uint[] msgIds) =>
        joined.TryGetValue(requester, out var since)
            ? await store.ByIdsAsync(GroupId, [.. msgIds.Distinct().Take(MaxPage)], since)
            : [];

    public Task<ChatMessage?> GetLatestAsync(uint requester) => Task.FromResult(LatestFor(requester));

    public Task<GroupInfo?> GetInfoAsync(uint requester) => Task.FromResult(
        Exists && joined.ContainsKey(requester)
            ? new GroupInfo(GroupId, row!.Version, row.Name, row.Avatar, row.Creator, row.Type, shields.GetValueOrDefault(requester), roster, row.Updated)
            : null);

    public async Task<GroupChangeResult> ChangeMembersAsync(GroupChange change)
    {
        if (!Exists)
        {
            return new GroupChangeResult(GroupChangeStatus.NoSuchGroup, [], []);
        }

        var requested = change.UserIds.Where(id => id != 0).Distinct().ToList();
        if (requested.Count > settings.MaxMembers)
        {
            LogTooMany(GroupId, roster.Length, requested.Count, settings.MaxMembers);
            return new GroupChangeResult(GroupChangeStatus.Refused, [], []);
        }

        if (!MayChange(change.RequesterId, change.Type, requested))
        {
            LogRefused(GroupId, change.RequesterId, change.Type, requested.Count);
            return new GroupChangeResult(GroupChangeStatus.Refused, [], []);
        }

        List<uint> changed;
        if (change.Type == GroupChangeType.Add)
        {
            var candidates = requested.Where(id => !joined.ContainsKey(id)).ToList();
            var existing = await store.ExistingUsersAsync(candidates);
            changed = [.. candidates.Where(existing.Contains)];
            if (roster.Length + changed.Count > settings.MaxMembers)
            {
                LogTooMany(GroupId, roster.Length, changed.Count, settings.MaxMembers);
                return new GroupChangeResult(GroupChangeStatus.Refused, [], []);
            }
        }
        else
        {
            changed = [.. requested.Where(joined.ContainsKey)];
        }

        if (changed.Count == 0)
        {
            return new GroupChangeResult(GroupChangeStatus.Done, roster, []);
        }

        var now = Now();
        var members = change.Type == GroupChangeType.Add
            ? [.. roster.Select(id => new GroupMember(id, joined[id])), .. changed.Select(id => new GroupMember(id, now))]
            : roster.Where(id => !changed.Contains(id)).Select(id => new GroupMember(id, joined[id])).ToArray();

        // New members start with nothing unread: their read position is the last id allocated before they joined.
        var version = await store.ChangeMembersAsync(GroupId, change.Type, changed, members.Length, lastAllocated, now);
        row = row! with { Version = version, Updated = now };
        SetMembers(members);
        LogChanged(GroupId, change.RequesterId, change.Type, changed.Count, roster.Length);

        var result = new GroupChangeResult(GroupChangeStatus.Done, roster, [.. changed]);
        await NotifyAsync(change, result);
        return result;
    }

    public async Task<bool?> SetShieldAsync(uint userId, uint shieldStatus)
    {
        if (!Exists)
        {
            return null;
        }

        if (!joined.ContainsKey(userId))
        {
            return false;
        }

        await store.SetShieldAsync(GroupId, userId, shieldStatus, Now());
        shields[userId] = shieldStatus;
        return true;
    }

    public async Task<UnreadSession?> GetUnreadAsync(uint userId, uint readMsgId, bool hasReadPosition)
    {
        if (!joined.TryGetValue(userId, out var since) || LatestFor(userId) is not { } newest)
        {
            return null;
        }

        // Without a recorded position (a membership older than this server, or made by the back-office), every message
        // since joining counts.
        var after = hasReadPosition ? readMsgId : 0;
        if (after >= lastCommitted)
        {
            return null;
        }

        var count = await store.CountAfterAsync(GroupId, after, since, settings.MaxUnreadCount);
        return count == 0 ? null : new UnreadSession(GroupId, GroupSession, count, newest);
    }

    /// <summary>
    /// The membership rules: the creator may add and remove anyone; in a temporary group any member may add people
    /// (the original let non-members add too, defect 6); any member may remove itself (leave).
    /// </summary>
    private bool MayChange(uint requester, GroupChangeType type, List<uint> ids) =>
        requester == row!.Creator
        || (joined.ContainsKey(requester) && type switch
        {
            GroupChangeType.Add => row.Type == TemporaryGroup,
            _ => ids.Count > 0 && ids.TrueForAll(id => id == requester),
        });

    /// <summary>
    /// Tells every current member and every changed user, once each (the original sent new members two), on all their
    /// connections but the requesting one.
    /// </summary>
    private async Task NotifyAsync(GroupChange change, GroupChangeResult result)
    {
        ClientPush[] push = [new GroupMembersChangedPush(change.RequesterId, (uint)change.Type, GroupId, result.CurrentMembers, result.Changed)];
        try
        {
            await Task.WhenAll(result.CurrentMembers.Union(result.Changed)
                .Select(id => User(id).DeliverAsync(push, id == change.RequesterId ? change.From : null)));
        }
        catch (Exception ex)
        {
            // The change is committed; members that missed the notify see it in the group info.
            LogNotifyFailed(ex, GroupId);
        }
    }

    private ChatMessage? LatestFor(uint userId) =>
        latest is not null && joined.TryGetValue(userId, out var since) && latest.CreateTime >= since ? latest : null;

    private void SetMembers(IReadOnlyCollection<GroupMember> members)
    {
        joined = members.ToDictionary(m => m.UserId, m => m.Joined);
        roster = [.. members.Select(m => m.UserId)];
    }

    private IUserGrain User(uint userId)
    {
        if (!users.TryGetValue(userId, out var user))
        {
            user = GrainFactory.GetUserGrain(userId);
            users[userId] = user;
        }

        return user;
    }

    private uint Now() => (uint)time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Delivers one run (consecutive ready messages accepted for the same members) to every party.</summary>
    private async Task DeliverRunAsync(List<Committed> run)
    {
        var first = run[0];
        var pushes = run.Select(c => (ClientPush)new MessagePush(
            c.Message.FromUserId, GroupId, c.Message.MsgId, c.Message.CreateTime, c.Message.MsgType, c.Message.Data)).ToArray();
        var senders = run.Select(c => (c.Message.FromUserId, c.Connection)).ToList();
        var calls = new Task[first.Recipients.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            var member = first.Recipients[i];
            calls[i] = RunDelivery.ToMember(User(member), member, pushes, senders);
        }

        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception ex)
        {
            // Committed messages stay findable through unread counts and history; delivery goes on with the next run.
            LogDeliveryFailed(ex, GroupId, first.Message.MsgId, run.Count);
        }
    }

    /// <summary>
    /// Moves the members' group sessions and <c>IMGroup.lastChated</c> to the latest message: at once after a quiet
    /// spell, then at most once per <see cref="GroupOptions.SessionTouchInterval"/> while messages keep coming (one
    /// statement per interval instead of one row per member per message).
    /// </summary>
    private void TouchSessions(uint at)
    {
        latestChat = Math.Max(latestChat, at);
        touchPending = true;
        if (!touching)
        {
            _ = TouchLoopAsync();
        }
    }

    private async Task TouchLoopAsync()
    {
        touching = true;
        try
        {
            while (touchPending)
            {
                touchPending = false;
                try
                {
                    await store.TouchSessionsAsync(GroupId, roster, latestChat);
                }
                catch (Exception ex)
                {
                    LogTouchFailed(ex, GroupId);
                }

                await Task.Delay(settings.SessionTouchInterval, time);
            }
        }
        finally
        {
            touching = false;
        }
    }

    private sealed record Committed(ChatMessage Message, uint[] Recipients, ConnectionRef Connection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId}: message {MsgId} not committed; the group reloads")]
    private partial void LogCommitFailed(Exception exception, uint groupId, uint msgId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId}: delivery of {Count} messages from {MsgId} failed")]
    private partial void LogDeliveryFailed(Exception exception, uint groupId, uint msgId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: user {UserId} may not {Change} {Count} members")]
    private partial void LogRefused(uint groupId, uint userId, GroupChangeType change, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: {Members} members and {Adding} more would exceed the limit of {Max}")]
    private partial void LogTooMany(uint groupId, int members, int adding, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: user {UserId} did {Change} of {Count} members; {Members} members now")]
    private partial void LogChanged(uint groupId, uint userId, GroupChangeType change, int count, int members);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId}: the member-change notify could not reach every member")]
    private partial void LogNotifyFailed(Exception exception, uint groupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId}: moving the members' recent sessions failed; the next message retries")]
    private partial void LogTouchFailed(Exception exception, uint groupId);
}
