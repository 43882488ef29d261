using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// The discover items (<c>IMDiscovery</c>) clients show in their discover tab, and their back-office management. One
/// activation (key 0) keeps the shown items for a short while, so the gateways' <c>/api/discovery</c> does not query
/// MySQL per request; a write through this grain drops that copy at once, and an edit made directly in MySQL (or by the
/// PHP admin) is seen when it expires.
/// </summary>
public interface IDiscoveryGrain : IGrainWithIntegerKey
{
    /// <summary>The items with status 0, ordered by id (the order the original's table scan gave).</summary>
    [ReadOnly]
    Task<DiscoverItem[]> GetShownItemsAsync();

    /// <summary>Every item, shown or hidden, ordered by id.</summary>
    [ReadOnly]
    Task<DiscoverItem[]> GetAllItemsAsync();

    /// <summary>One item, or null when no row has this id.</summary>
    [ReadOnly]
    Task<DiscoverItem?> GetItemAsync(uint id);

    /// <summary>Adds an item (name and URL required; priority and status 0 when absent).</summary>
    Task<AdminWriteResult> CreateAsync(DiscoverItemFields fields);

    /// <summary>Sets the fields that are set; <see cref="AdminWriteStatus.NotFound"/> when no row has this id.</summary>
    Task<AdminWriteResult> UpdateAsync(uint id, DiscoverItemFields fields);

    /// <summary>Hides an item (status 1), as the original admin's delete did; the row stays.</summary>
    Task<AdminWriteResult> HideAsync(uint id);
}
