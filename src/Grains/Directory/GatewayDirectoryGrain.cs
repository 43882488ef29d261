using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Directory;

/// <summary>
/// The live gateways of the cluster, each with its load and observer. Announcements are kept in memory; the set of
/// registered gateways is also persisted when it changes (<see cref="GatewayDirectoryState"/>), so a directory
/// reactivated after its silo died gives the silos' routes every gateway at once (each with a fresh lifetime: one that
/// is gone expires as usual; discovery names only the gateways that announced themselves to this activation). Without that, User grains reactivating in the same seconds would recover no connections from the
/// gateways the new directory had not heard of yet, and deliveries to them would go nowhere.
/// </summary>
public sealed partial class GatewayDirectoryGrain(
    [PersistentState("gateways", StorageNames.Default)] IPersistentState<GatewayDirectoryState> state,
    IOptions<GatewayDirectoryOptions> options,
    TimeProvider time,
    ILogger<GatewayDirectoryGrain> logger) : Grain, IGatewayDirectoryGrain
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TimeSpan lifetime = options.Value.EntryLifetime;
    private readonly TimeSpan discoverable = options.Value.DiscoveryLifetime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var saved in state.State.Gateways)
        {
            entries[saved.Info.GatewayId] = new Entry(saved.Info, saved.Observer, now, Announced: false);
        }

        if (entries.Count > 0)
        {
            LogRestored(entries.Count);
        }

        return Task.CompletedTask;
    }

    public async Task<GatewayInfo[]> HeartbeatAsync(GatewayInfo info, IGatewayObserver observer)
    {
        var now = time.GetUtcNow();
        var changed = !entries.TryGetValue(info.GatewayId, out var known) || !known.Observer.Equals(observer);
        if (!entries.ContainsKey(info.GatewayId))
        {
            LogRegistered(info.GatewayId, info.Address, info.TcpPort);
        }

        entries[info.GatewayId] = new Entry(info, observer, now, Announced: true);
        changed |= Expire(now);
        if (changed)
        {
            await SaveAsync();
        }

        // Discovery names only gateways heard from by this activation, and just now: a killed gateway drops out of every
        // gateway's discovery view within DiscoveryLifetime + one announce period, long before its entry expires.
        // Restored entries serve the silos' routes only.
        return [.. entries.Values.Where(e => e.Announced && now - e.LastSeen <= discoverable).Select(e => e.Info)];
    }

    public async Task ReportUnreachableAsync(string gatewayId)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(gatewayId, out var entry) && now - entry.LastSeen > discoverable)
        {
            entries.Remove(gatewayId);
            LogEvicted(gatewayId, (now - entry.LastSeen).TotalSeconds);
            await SaveAsync();
        }
    }

    public async Task UnregisterAsync(string gatewayId)
    {
        if (entries.Remove(gatewayId))
        {
            LogUnregistered(gatewayId);
            await SaveAsync();
        }
    }

    public async Task<GatewayRoute[]> GetRoutesAsync()
    {
        if (Expire(time.GetUtcNow()))
        {
            await SaveAsync();
        }

        return [.. entries.Values.Select(e => new GatewayRoute(e.Info, e.Observer))];
    }

    /// <summary>Persists the registered gateways; a failure is logged (the directory goes on from memory and saves again at the next change).</summary>
    private async Task SaveAsync()
    {
        state.State.Gateways = [.. entries.Values.Select(e => new GatewayRoute(e.Info, e.Observer))];
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogSaveFailed(ex, entries.Count);
        }
    }

    /// <summary>Drops the entries past their lifetime; true when any was.</summary>
    private bool Expire(DateTimeOffset now)
    {
        List<string>? expired = null;
        foreach (var (id, entry) in entries)
        {
            if (now - entry.LastSeen > lifetime)
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is null)
        {
            return false;
        }

        foreach (var id in expired)
        {
            entries.Remove(id);
            LogExpired(id);
        }

        return true;
    }

    // Announced: heard from by this activation (false: restored from storage, not yet confirmed).
    private sealed record Entry(GatewayInfo Info, IGatewayObserver Observer, DateTimeOffset LastSeen, bool Announced);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway {GatewayId} registered ({Address}:{Port})")]
    private partial void LogRegistered(string gatewayId, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway directory restored {Count} gateways from storage")]
    private partial void LogRestored(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the {Count} registered gateways; the directory goes on from memory")]
    private partial void LogSaveFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway {GatewayId} unregistered")]
    private partial void LogUnregistered(string gatewayId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId} evicted: its observer is unreachable and it has not announced itself for {Seconds:F1} s")]
    private partial void LogEvicted(string gatewayId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId} expired: no announcement within its lifetime")]
    private partial void LogExpired(string gatewayId);
}
