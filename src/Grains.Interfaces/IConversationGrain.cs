using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// What every conversation grain serves, a pair's <see cref="IRelationGrain"/> or a <see cref="IGroupGrain"/>: sending
/// (ids from 1, strictly increasing in accept order, never reused; acknowledged only once committed; delivered in id
/// order to every connection of every party) and history. Only the conversation's parties (the two users, or the
/// group's members from their join time on) may read it. Read positions belong to each user's <see cref="ISessionGrain"/>.
/// </summary>
public interface IConversationGrain : IGrain
{
    /// <summary>Allocates an id and returns once the message is committed (or rejected).</summary>
    [AlwaysInterleave]
    Task<SendResult> SendAsync(SendMessage message);

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
