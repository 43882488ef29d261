using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// Stateless entry to groups that have no grain yet: creates groups (the id comes from <c>IMGroup</c>'s
/// auto-increment) and lists a user's normal groups. Runs on any silo, several activations at once.
/// </summary>
public interface IGroupDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Creates a group (behaviour.md 3.7.3; clients create temporary groups, the back-office normal ones too); the reply
    /// lists the de-duplicated members in ascending order.
    /// </summary>
    Task<GroupCreateResult> CreateAsync(GroupCreate request);

    /// <summary>The normal groups (<c>IMGroup.type</c> 1) the user is a member of, with their versions, most recently updated first.</summary>
    [ReadOnly]
    Task<GroupVersion[]> GetNormalGroupsAsync(uint userId);
}
