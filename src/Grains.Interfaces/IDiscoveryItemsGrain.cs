using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// The discover items (<c>IMDiscovery</c>) read from MySQL on every call, so edits by the PHP admin or in SQL are seen.
/// Deleting marks the row status 1, as the original admin does. A stateless worker: use key 0.
/// </summary>
public interface IDiscoveryItemsGrain : IGrainWithIntegerKey
{
    /// <summary>The items of status 0 by ascending priority, then id.</summary>
    [ReadOnly]
    Task<DiscoveryItem[]> ListAsync();

    /// <summary>The item of status 0 with this id; null when none.</summary>
    [ReadOnly]
    Task<DiscoveryItem?> GetAsync(uint id);

    /// <summary>Adds an item (its <see cref="DiscoveryItem.Id"/> is ignored); the new id, or the broken rule.</summary>
    Task<AdminWriteResult> CreateAsync(DiscoveryItem item);

    /// <summary>Changes the item <see cref="DiscoveryItem.Id"/>: done, invalid, or not found.</summary>
    Task<AdminWriteResult> UpdateAsync(DiscoveryItem item);

    /// <summary>Marks the item deleted (status 1): done or not found.</summary>
    Task<AdminWriteResult> DeleteAsync(uint id);
}
