using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// What every conversation grain serves, a 1:1 <see cref="ISessionGrain"/> or a <see cref="IGroupGrain"/>: sending
/// (ids from 1, strictly increasing in accept order, never reused; acknowledged only once committed), read positions and
/// history. Only the conversation's parties (the two users, or the group's members) may read it.
/// </summary>
public interface IConversationGrain : IGrain
{
    /// <summary>Allocates an id and returns once the message is committed (or rejected).</summary>
    [AlwaysInterleave]
    Task<SendResult> SendAsync(SendMessage message);

    /// <summary>Marks the conversation read by <paramref name="userId"/> up to <paramref name="msgId"/> and tells the user's other connections.</summary>
    Task MarkReadAsync(uint userId, uint msgId, ConnectionRef from);

    /// <summary>Newest first: messages with id ≤ <paramref name="msgIdBegin"/> (0: from the newest), at most <paramref name="count"/> (≤ 100).</summary>
    [ReadOnly]
    Task<ChatMessage[]> GetHistoryAsync(uint requester, uint msgIdBegin, uint count);

    /// <summary>The messages with the given ids (at most 100), newest first.</summary>
    [ReadOnly]
    Task<ChatMessage[]> GetByIdsAsync(uint requester, uint[] msgIds);

    /// <summary>The newest committed message the requester may read, or null when there is none (or the requester is not a party).</summary>
    [ReadOnly]
    Task<ChatMessage?> GetLatestAsync(uint requester);
}
