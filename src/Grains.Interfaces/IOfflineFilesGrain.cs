using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>The offline files waiting for a user (<c>IMTransmitFile</c>, status 0, oldest first). Stateless worker; key 0.</summary>
public interface IOfflineFilesGrain : IGrainWithIntegerKey
{
    /// <summary>The files sent to <paramref name="userId"/> and not deleted by it.</summary>
    [ReadOnly]
    Task<OfflineFile[]> ListAsync(uint userId);
}
