using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Data.Groups;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Conversations;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Push;

namespace TeamTalk.Orleans.Grains.Groups;

/// <summary>
/// One group: its row, its members and their join times, their mute flags, the membership rules, and its conversation
/// (<see cref="Conversation"/>: ids, durable append, delivery in id order, history). A message goes to the members of
/// the moment it was accepted, every connection of each (the sending connection excepted). Membership changes are
/// serialised by the grain and committed before the grain's view changes.
/// </summary>
public sealed partial class GroupGrain(
    GroupStore store,
    UserStore userRows,
    MessageStore messages,
    AudioHistory audio,
    MessageCommitter committer,
    PushService push,
    IOptions<GroupOptions> options,
    IOptions<MemberDeliveryOptions> delivery,
    TimeProvider time,
    ILogger<GroupGrain> logger) : Grain, IGroupGrain
{
    private const uint TemporaryGroup = 2;

    private readonly GroupOptions settings = options.Value;
    private readonly Dictionary<uint, IUserGrain> users = [];
    private GroupRow? row;
    private Dictionary<uint, uint> joined = [];
    private uint[] roster = [];
    private Dictionary<uint, uint> shields = [];
    private Conversation? conversation;
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
        var tail = row is null ? new ConversationTail(0, null) : await messages.LoadTailAsync(ConversationKind.Group, GroupId);
        conversation = new Conversation(
            ConversationKind.Group, this.GetPrimaryKeyLong().ToString(CultureInfo.InvariantCulture), tail, committer, messages, audio, User, DeactivateOnIdle, delivery.Value, time, logger);
    }

    /// <summary>Acknowledged messages still on their way to a lagging member are delivered before the activation goes (bounded by Orleans' deactivation timeout).</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        conversation?.WhenDeliveredAsync(cancellationToken) ?? Task.CompletedTask;

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

        var created = Now();
        var (stored, onMobile) = await conversation!.AppendAsync(message, created, roster, (id, text, token) =>
            PendingMessage.ForGroup(GroupId, message.FromUserId, id, created, message.MsgType, text, token));
        TouchSessions(created);
        // Members who muted the group get no push (behaviour.md 3.9), nor does the sender.
        push.Enqueue(new PushRequest(stored, GroupId, [.. roster.Where(m => m != message.FromUserId && shields.GetValueOrDefault(m) == 0)]), onMobile);
        return new SendResult(SendStatus.Committed, stored.MsgId, created);
    }

    public async Task<ChatMessage[]> GetHistoryAsync(uint requester, uint msgIdBegin, uint count) =>
        joined.TryGetValue(requester, out var since)
            ? await conversation!.HistoryAsync(GroupId, msgIdBegin, count, since)
            : [];

    public async Task<ChatMessage[]> GetByIdsAsync(uint requester, uint[] msgIds) =>
        joined.TryGetValue(requester, out var since)
            ? await conversation!.ByIdsAsync(GroupId, msgIds, since)
            : [];

    public Task<ChatMessage?> GetLatestAsync(uint requester) => Task.FromResult(LatestFor(requester));

    public Task<GroupInfo?> GetInfoAsync(uint requester) => Task.FromResult(
        Exists && joined.ContainsKey(requester)
            ? new GroupInfo(GroupId, row!.Version, row.Name, row.Avatar, row.Creator, row.Type, shields.GetValueOrDefault(requester), roster, row.Updated)
            : null);

    public Task<GroupInfo?> GetAdminInfoAsync() => Task.FromResult(
        Exists ? new GroupInfo(GroupId, row!.Version, row.Name, row.Avatar, row.Creator, row.Type, 0, roster, row.Updated) : null);

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

        if (!change.ByAdministrator && !MayChange(change.RequesterId, change.Type, requested))
        {
            LogRefused(GroupId, change.RequesterId, change.Type, requested.Count);
            return new GroupChangeResult(GroupChangeStatus.Refused, [], []);
        }

        List<uint> changed;
        if (change.Type == GroupChangeType.Add)
        {
            var candidates = requested.Where(id => !joined.ContainsKey(id)).ToList();
            var existing = await userRows.ExistingAsync(candidates);
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
        var version = await store.ChangeMembersAsync(GroupId, change.Type, changed, members.Length, conversation!.LastAllocated, now);
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
                .Select(id => User(id).DeliverAsync(push, id == change.RequesterId && !change.ByAdministrator ? change.From : null)));
        }
        catch (Exception ex)
        {
            // The change is committed; members that missed the notify see it in the group info.
            LogNotifyFailed(ex, GroupId);
        }
    }

    private ChatMessage? LatestFor(uint userId) =>
        conversation!.Latest is { } latest && joined.TryGetValue(userId, out var since) && latest.CreateTime >= since ? latest : null;

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
