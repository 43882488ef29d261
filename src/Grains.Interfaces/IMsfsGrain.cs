using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// The msfs entries (behaviour.md 2.2): which committed blob an uploaded path names. A stateless worker (use key 0):
/// the rows in MySQL are the truth. Gateways store the bytes in the blob store first and record the entry here; a
/// download asks here for the blob and its content type.
/// </summary>
public interface IMsfsGrain : IGrainWithIntegerKey
{
    /// <summary>Records an entry (durable on return); false when its path is taken already.</summary>
    Task<bool> AddAsync(MsfsEntry entry);

    /// <summary>The entry of a path, or null when there is none.</summary>
    [ReadOnly]
    Task<MsfsEntry?> FindAsync(string path);
}
