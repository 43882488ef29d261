using Orleans.Concurrency;
using TeamTalk.Orleans.Data.Files;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Files;

/// <summary>Lists a user's offline files straight from <c>IMTransmitFile</c>; nothing cached.</summary>
[StatelessWorker]
public sealed class OfflineFilesGrain(OfflineFileStore store) : Grain, IOfflineFilesGrain
{
    public async Task<OfflineFile[]> ListAsync(uint userId) =>
        [.. (await store.ListAsync(userId)).Select(r => new OfflineFile(r.FromId, r.TaskId, r.FileName, r.Size))];
}
