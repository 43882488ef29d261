using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per 1:1 conversation (key from <see cref="GrainFactoryExtensions.GetSingleSession"/>): allocates the
/// conversation's message ids (from 1, strictly increasing in accept order, never reused), makes each message durable
/// in the original tables through the silo's batch committer before it is acknowledged, then delivers committed
/// messages in id order to every connection of both parties. Answers history; only the two parties may read it.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Allocates an id and returns once the message is committed (or rejected).</summary>
    [AlwaysInterleave]
    Task<SendResult> SendAsync(SendMessage message);

    /// <summary>Marks the session read by <paramref name="userId"/> up to <paramref name="msgId"/> and tells the user's other connections.</summary>
    Task MarkReadAsync(uint userId, uint msgId, ConnectionRef from);

    /// <summary>Newest first: messages with id ≤ <paramref name="msgIdBegin"/> (0: from the newest), at most <paramref name="count"/> (≤ 100).</summary>
    [ReadOnly]
    Task<ChatMessage[]> GetHistoryAsync(uint requester, uint msgIdBegin, uint count);

    /// <summary>The messages with the given ids (at most 100), newest first.</summary>
    [ReadOnly]
    Task<ChatMessage[]> GetByIdsAsync(uint requester, uint[] msgIds);

    /// <summary>The newest committed message, or null when there is none (or the requester is not a party).</summary>
    [ReadOnly]
    Task<ChatMessage?> GetLatestAsync(uint requester);
}
