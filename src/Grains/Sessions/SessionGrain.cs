using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Relations;
using TeamTalk.Orleans.Data.Sessions;
using TeamTalk.Orleans.Grains.Groups;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Sessions;

/// <summary>
/// One user's sessions (conversation list): the recent list, unread counts, read positions and removal, answered from
/// MySQL (<c>IMRecentSession</c>, <c>TeamTalkUnread</c>, the message tables' indexes) without activating any
/// conversation grain: a recent-sessions request is two statements, an unread request four (two of them in parallel). Read acks and removals are
/// told to the user's other connections through its User grain.
/// </summary>
public sealed class SessionGrain(
    SessionStore sessions,
    RelationStore relations,
    MessageStore messages,
    IOptions<GroupOptions> groupOptions,
    TimeProvider time) : Grain, ISessionGrain
{
    private readonly Dictionary<uint, uint> relateIds = [];
    private IUserGrain? user;

    private uint UserId => (uint)this.GetPrimaryKeyLong();

    private IUserGrain User => user ??= GrainFactory.GetUserGrain(UserId);

    public async Task<RecentSession[]> GetRecentSessionsAsync(uint since)
    {
        var rows = await sessions.RecentAsync(UserId, since);
        var latest = await messages.LatestAsync([.. rows.Select(Conversation).OfType<(ConversationKind, uint)>().Distinct()]);

        // Sessions whose conversation holds no message the user may read are left out, as the original does.
        return [.. rows
            .Select(r => (Row: r, Latest: Readable(latest, Conversation(r), r.Joined)))
            .Where(r => r.Latest is not null)
            .Select(r => new RecentSession(r.Row.SessionId, r.Row.Type, r.Row.Updated, r.Latest!))];
    }

    public async Task<UnreadSession[]> GetUnreadAsync()
    {
        var ofPeers = sessions.SingleUnreadAsync(UserId);
        var positions = await sessions.GroupPositionsAsync(UserId);
        var singles = await ofPeers;
        var groupCounts = await sessions.GroupUnreadCountsAsync(positions, groupOptions.Value.MaxUnreadCount);
        var unreadGroups = positions.Where(p => groupCounts.ContainsKey(p.GroupId)).ToList();
        var latest = await messages.LatestAsync([
            .. singles.Where(s => s.RelateId != 0).Select(s => (ConversationKind.Pair, s.RelateId)),
            .. unreadGroups.Select(p => (ConversationKind.Group, p.GroupId))]);

        // 1:1 sessions first, then groups (newest membership first), as the original lists them.
        var result = new List<UnreadSession>(singles.Count + unreadGroups.Count);
        foreach (var single in singles)
        {
            if (single.RelateId != 0 && latest.TryGetValue((ConversationKind.Pair, single.RelateId), out var newest))
            {
                result.Add(new UnreadSession(single.PeerId, SessionType.Single, single.Count, newest));
            }
        }

        foreach (var group in unreadGroups)
        {
            if (Readable(latest, (ConversationKind.Group, group.GroupId), group.Joined) is { } newest)
            {
                result.Add(new UnreadSession(group.GroupId, SessionType.Group, groupCounts[group.GroupId], newest));
            }
        }

        return [.. result];
    }

    public async Task MarkReadAsync(SessionType type, uint sessionId, uint msgId, ConnectionRef from)
    {
        if (await ReadUpToAsync(type, sessionId, msgId) is not null)
        {
            await User.DeliverAsync([new ReadNotifyPush(UserId, sessionId, msgId, type)], from);
        }
    }

    public async Task<bool> RemoveSessionAsync(SessionType type, uint sessionId, ConnectionRef from)
    {
        var removed = await sessions.RemoveAsync(UserId, type, sessionId, Now());
        if (removed && type == SessionType.Group && await ReadUpToAsync(type, sessionId, uint.MaxValue) is { } newest and > 0)
        {
            // Removing a group session clears its unread messages: read up to the newest.
            await User.DeliverAsync([new ReadNotifyPush(UserId, sessionId, newest, type)], from);
        }

        // The user's other devices are told for both kinds (the original told them of 1:1 removals only).
        await User.DeliverAsync([new RemoveSessionNotifyPush(UserId, type, sessionId)], from);
        return removed;
    }

    /// <summary>The newest message of a conversation, when the user may read it (a group's from its join time on).</summary>
    private static ChatMessage? Readable(Dictionary<(ConversationKind, uint), ChatMessage> latest, (ConversationKind, uint)? conversation, uint? joined) =>
        conversation is { } key && latest.TryGetValue(key, out var newest) && (key.Item1 == ConversationKind.Pair || newest.CreateTime >= joined) ? newest : null;

    /// <summary>The conversation behind a recent session: the pair's relation, or the group while the user is a member.</summary>
    private static (ConversationKind, uint)? Conversation(SessionRow row) => row.Type switch
    {
        SessionType.Single when row.RelateId != 0 => (ConversationKind.Pair, row.RelateId),
        SessionType.Group when row.Joined is not null => (ConversationKind.Group, row.SessionId),
        _ => null,
    };

    /// <summary>Moves the read position; null when there is nothing to read (no relation yet) or the user may not (not a member).</summary>
    private async Task<uint?> ReadUpToAsync(SessionType type, uint sessionId, uint msgId)
    {
        if (sessionId == 0 || (type == SessionType.Single && sessionId == UserId))
        {
            return null;
        }

        var conversationId = type == SessionType.Group ? sessionId : await RelationWithAsync(sessionId);
        return conversationId == 0 ? null : await sessions.MarkReadAsync(type, conversationId, UserId, sessionId, msgId, Now());
    }

    /// <summary>The relation id of the user and a peer (0 while none exists; once known it never changes, so it is kept).</summary>
    private async Task<uint> RelationWithAsync(uint peer)
    {
        if (relateIds.TryGetValue(peer, out var relateId))
        {
            return relateId;
        }

        relateId = await relations.FindAsync(Math.Min(UserId, peer), Math.Max(UserId, peer));
        if (relateId != 0 && relateIds.Count < 10_000)
        {
            relateIds[peer] = relateId;
        }

        return relateId;
    }

    private uint Now() => (uint)time.GetUtcNow().ToUnixTimeSeconds();
}
