using Orleans.Concurrency;
using TeamTalk.Orleans.Data.Msfs;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Msfs;

/// <summary>The msfs entries straight from and to MySQL (<see cref="MsfsStore"/>); stateless, any silo serves it locally.</summary>
[StatelessWorker]
public sealed class MsfsGrain(MsfsStore store) : Grain, IMsfsGrain
{
    public Task<bool> AddAsync(MsfsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Path.Length is 0 or > MsfsStore.MaxPathLength || entry.ContentType.Length is 0 or > MsfsStore.MaxContentTypeLength || entry.Size < 0)
        {
            throw new ArgumentException($"an msfs entry has a path of 1 to {MsfsStore.MaxPathLength} characters, a content type of 1 to {MsfsStore.MaxContentTypeLength} and a size ≥ 0", nameof(entry));
        }

        return store.AddAsync(entry);
    }

    public Task<MsfsEntry?> FindAsync(string path) => store.FindAsync(path);
}
