using Orleans.Concurrency;
using TeamTalk.Orleans.Data.Admin;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Console;

/// <summary>Serves <see cref="IDiscoveryItemsGrain"/> from MySQL on every call. Stateless worker: local to the calling silo.</summary>
[StatelessWorker]
public sealed class DiscoveryItemsGrain(DiscoveryStore store) : Grain, IDiscoveryItemsGrain
{
    public async Task<DiscoveryItem[]> ListAsync() => [.. await store.ListAsync()];

    public Task<DiscoveryItem?> GetAsync(uint id) => store.GetAsync(id);

    public async Task<AdminWriteResult> CreateAsync(DiscoveryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Check() is { } invalid ? AdminWriteResult.Invalid(invalid) : AdminWriteResult.Done(await store.InsertAsync(item));
    }

    public async Task<AdminWriteResult> UpdateAsync(DiscoveryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Check() is { } invalid)
        {
            return AdminWriteResult.Invalid(invalid);
        }

        return await store.UpdateAsync(item) ? AdminWriteResult.Done(item.Id) : AdminWriteResult.NotFound;
    }

    public async Task<AdminWriteResult> DeleteAsync(uint id) =>
        await store.DeleteAsync(id) ? AdminWriteResult.Done(id) : AdminWriteResult.NotFound;
}
