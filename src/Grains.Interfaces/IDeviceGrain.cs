using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// The users' phones as push notifications need them (behaviour.md 3.3.3, 3.3.5, 3.3.6): push tokens and the
/// push-shield (do-not-disturb) flag, both in MySQL. A stateless worker (use key 0): it holds nothing, the rows are the
/// truth, and "one token, one user" is the token table's primary key, which a per-user grain could not guard anyway
/// since moving a token touches two users.
/// </summary>
public interface IDeviceGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stores <see cref="DeviceToken.Token"/> as the phone of <see cref="DeviceToken.UserId"/>: taken from whichever
    /// user had it; the user's previous tokens are dropped (one phone per user, as in the original). Durable on return.
    /// </summary>
    Task SetTokenAsync(DeviceToken token);

    /// <summary>
    /// A phone of <paramref name="userId"/> logged out: drops the user's token of <paramref name="device"/>, so the
    /// logged-out phone gets no pushes. A PC-class <paramref name="device"/> clears nothing (the original cleared the
    /// token on any logout, defect 26). Returns the number of tokens dropped; durable on return.
    /// </summary>
    Task<int> ClearTokenAsync(uint userId, DeviceType device);

    /// <summary>The stored tokens of <paramref name="userIds"/> (what the push service reads).</summary>
    [ReadOnly]
    Task<DeviceToken[]> GetTokensAsync(uint[] userIds);

    /// <summary>Stores the user's push-shield flag (<c>IMUser.push_shield_status</c>); <see cref="PushShield.Ok"/> is false for an unknown user or a value above 255.</summary>
    Task<PushShield> SetPushShieldAsync(uint userId, uint shieldStatus);

    /// <summary>The user's push-shield flag.</summary>
    [ReadOnly]
    Task<PushShield> GetPushShieldAsync(uint userId);
}
