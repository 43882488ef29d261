using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per user (key = user id): the user's sessions, in TeamTalk's words the entries of its conversation list
/// (<c>IMRecentSession</c>): the recent list, unread counts, read positions and removal. It answers from MySQL with a
/// query or two per request and activates no conversation grain; read acks and removals are told to the user's other
/// connections.
/// </summary>
public interface ISessionGrain : IGrainWithIntegerKey
{
    /// <summary>Active sessions updated after <paramref name="since"/>, newest first, at most 100, each with its latest message (its real sender); sessions without a message the user may read are left out.</summary>
    [ReadOnly]
    Task<RecentSession[]> GetRecentSessionsAsync(uint since);

    /// <summary>The sessions with unread messages (1:1 first, then groups), each with its latest message.</summary>
    [ReadOnly]
    Task<UnreadSession[]> GetUnreadAsync();

    /// <summary>
    /// The user has read a session up to <paramref name="msgId"/> (never past the newest committed message; positions
    /// only move forward; a group only while a member); the user's other connections are told.
    /// </summary>
    Task MarkReadAsync(SessionType type, uint sessionId, uint msgId, ConnectionRef from);

    /// <summary>Removes a session (and clears its unread messages); true when an active one was removed. The user's other connections are told.</summary>
    Task<bool> RemoveSessionAsync(SessionType type, uint sessionId, ConnectionRef from);
}
