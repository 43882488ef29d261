using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Directory;

/// <summary>
/// The live gateways of the cluster, each with its load and observer. State is in memory only: gateways announce
/// themselves every few seconds, so a reactivated directory is complete again within one announcement period.
/// </summary>
public sealed partial class GatewayDirectoryGrain(
    IOptions<GatewayDirectoryOptions> options,
    TimeProvider time,
    ILogger<GatewayDirectoryGrain> logger) : Grain, IGatewayDirectoryGrain
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TimeSpan lifetime = options.Value.EntryLifetime;
    private readonly TimeSpan discoverable = options.Value.DiscoveryLifetime;

    public Task<GatewayInfo[]> HeartbeatAsync(GatewayInfo info, IGatewayObserver observer)
    {
        var now = time.GetUtcNow();
        if (!entries.ContainsKey(info.GatewayId))
        {
            LogRegistered(info.GatewayId, info.Address, info.TcpPort);
        }

        entries[info.GatewayId] = new Entry(info, observer, now);
        Expire(now);
        // Discovery only names gateways heard from just now: a killed gateway drops out of every gateway's discovery
        // view within DiscoveryLifetime + one announce period, long before its entry expires.
        return Task.FromResult(entries.Values.Where(e => now - e.LastSeen <= discoverable).Select(e => e.Info).ToArray());
    }

    public Task ReportUnreachableAsync(string gatewayId)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(gatewayId, out var entry) && now - entry.LastSeen > discoverable)
        {
            entries.Remove(gatewayId);
            LogEvicted(gatewayId, (now - entry.LastSeen).TotalSeconds);
        }

        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string gatewayId)
    {
        if (entries.Remove(gatewayId))
        {
            LogUnregistered(gatewayId);
        }

        return Task.CompletedTask;
    }

    public Task<GatewayRoute[]> GetRoutesAsync()
    {
        Expire(time.GetUtcNow());
        return Task.FromResult(entries.Values.Select(e => new GatewayRoute(e.Info, e.Observer)).ToArray());
    }

    private void Expire(DateTimeOffset now)
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
            return;
        }

        foreach (var id in expired)
        {
            entries.Remove(id);
            LogExpired(id);
        }
    }

    private sealed record Entry(GatewayInfo Info, IGatewayObserver Observer, DateTimeOffset LastSeen);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway {GatewayId} registered ({Address}:{Port})")]
    private partial void LogRegistered(string gatewayId, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway {GatewayId} unregistered")]
    private partial void LogUnregistered(string gatewayId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId} evicted: its observer is unreachable and it has not announced itself for {Seconds:F1} s")]
    private partial void LogEvicted(string gatewayId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId} expired: no announcement within its lifetime")]
    private partial void LogExpired(string gatewayId);
}
