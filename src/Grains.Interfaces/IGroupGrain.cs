using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per group (key = <c>IMGroup.id</c>): the group's info, its members with their join times, their mute settings,
/// the membership rules, and the group's conversation. A message is accepted only from a current member, gets the
/// group's next id, is acknowledged once committed, and is delivered in id order to every connection of every member
/// it was accepted for (the sender's other connections included). Members read history from their join time on.
/// MySQL (<c>IMGroup</c>, <c>IMGroupMember</c>, the message tables) is the truth; the grain loads it on activation.
/// </summary>
public interface IGroupGrain : IGrainWithIntegerKey, IConversationGrain
{
    /// <summary>The group as a member sees it (its own mute setting included); null when the group does not exist or the requester is not a member.</summary>
    [ReadOnly]
    Task<GroupInfo?> GetInfoAsync(uint requester);

    /// <summary>The group as the back-office sees it (every member, no mute flag); null when the group does not exist.</summary>
    [ReadOnly]
    Task<GroupInfo?> GetAdminInfoAsync();

    /// <summary>Adds or removes members (behaviour.md 3.7.4, with the membership rules of docs/architecture.md); the affected users' other connections are notified.</summary>
    Task<GroupChangeResult> ChangeMembersAsync(GroupChange change);

    /// <summary>Sets a member's "mute push notifications" flag; null when the group does not exist, false when the user is not a member.</summary>
    Task<bool?> SetShieldAsync(uint userId, uint shieldStatus);
}
