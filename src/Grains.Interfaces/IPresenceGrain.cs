using Orleans.Concurrency;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// Presence of many users in one call, as the original reports it (behaviour.md 3.2.2, 3.6.5): a user is online iff
/// a PC-class connection of theirs is logged in on some live gateway. It asks every live gateway once per call (in
/// parallel, each bounded by the observer call timeout) instead of activating one user grain per id. A stateless
/// worker: any silo serves it locally; use key 0.
/// </summary>
public interface IPresenceGrain : IGrainWithIntegerKey
{
    /// <summary>The ids among <paramref name="userIds"/> that have a PC-class connection on some live gateway.</summary>
    [ReadOnly]
    Task<uint[]> GetPcOnlineAsync(uint[] userIds);
}
