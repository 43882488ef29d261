using TeamTalk.Orleans.Data.Discovery;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Discovery;

/// <summary>
/// The discover items (see <see cref="IDiscoveryGrain"/>). The shown items are kept for <see cref="CacheFor"/> and
/// dropped by any write made here, so the back-office's changes reach clients at once.
/// </summary>
public sealed class DiscoveryGrain(DiscoveryStore store, TimeProvider time) : Grain, IDiscoveryGrain
{
    /// <summary>How long the shown items are served from memory (edits made directly in MySQL show after this).</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private DiscoverItem[]? shown;
    private long shownAt;

    public async Task<DiscoverItem[]> GetShownItemsAsync()
    {
        if (shown is { } cached && time.GetElapsedTime(shownAt) < CacheFor)
        {
            return cached;
        }

        var fresh = (await store.ListAsync(DiscoverItem.Shown)).ToArray();
        shown = fresh;
        shownAt = time.GetTimestamp();
        return fresh;
    }

    public async Task<DiscoverItem[]> GetAllItemsAsync() => [.. await store.ListAsync(status: null)];

    public Task<DiscoverItem?> GetItemAsync(uint id) => store.FindAsync(id);

    public async Task<AdminWriteResult> CreateAsync(DiscoverItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Name is null || fields.Url is null)
        {
            return AdminWriteResult.Invalid(fields.Name is null ? "name: required" : "url: required");
        }

        if (fields.Check() is { } invalid)
        {
            return AdminWriteResult.Invalid(invalid);
        }

        var id = await store.InsertAsync(fields.Name, fields.Url, fields.Priority ?? 0, fields.Status ?? DiscoverItem.Shown);
        shown = null;
        return AdminWriteResult.Done(id);
    }

    public async Task<AdminWriteResult> UpdateAsync(uint id, DiscoverItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.IsEmpty)
        {
            return AdminWriteResult.Invalid("body: no field to change");
        }

        if (fields.Check() is { } invalid)
        {
            return AdminWriteResult.Invalid(invalid);
        }

        var found = await store.UpdateAsync(id, fields);
        shown = null;
        return found ? AdminWriteResult.Done(id) : AdminWriteResult.NotFound;
    }

    public Task<AdminWriteResult> HideAsync(uint id) => UpdateAsync(id, new DiscoverItemFields(null, null, null, DiscoverItem.Hidden));
}
