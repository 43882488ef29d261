using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Directory;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Routing;

/// <summary>
/// The silo's cached view of the live gateways and their observers, refreshed from the
/// <see cref="IGatewayDirectoryGrain"/> when older than <see cref="GatewayDirectoryOptions.RouteCacheLifetime"/>
/// (one refresh in flight at a time). Grains use it to reach the gateway that holds a connection, calling every
/// gateway in parallel with a timeout so that one slow gateway never delays the others.
/// </summary>
public sealed partial class GatewayRouter(
    IGrainFactory grains,
    IOptions<GatewayDirectoryOptions> options,
    TimeProvider time,
    ILogger<GatewayRouter> logger)
{
    private readonly GatewayDirectoryOptions settings = options.Value;
    private readonly Lock gate = new();
    private Snapshot snapshot = Snapshot.Empty;
    private Task<Snapshot>? refreshing;

    /// <summary>Upper bound of one observer call.</summary>
    public TimeSpan CallTimeout => settings.ObserverCallTimeout;

    /// <summary>How long a gateway that stopped announcing stays in the directory (<see cref="GatewayDirectoryOptions.EntryLifetime"/>).</summary>
    public TimeSpan GatewayLifetime => settings.EntryLifetime;

    /// <summary>The live gateways, at most <see cref="GatewayDirectoryOptions.RouteCacheLifetime"/> old.</summary>
    public async ValueTask<IReadOnlyDictionary<string, GatewayRoute>> GetRoutesAsync()
    {
        var current = snapshot;
        if (time.GetUtcNow() - current.Taken < settings.RouteCacheLifetime)
        {
            return current.Routes;
        }

        return (await RefreshAsync()).Routes;
    }

    /// <summary>
    /// Calls <paramref name="call"/> on the observer of each given gateway in parallel, each bounded by
    /// <see cref="CallTimeout"/>. Returns the results of the calls that succeeded; failures are logged.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> CallAsync<TResult>(
        IEnumerable<string> gatewayIds,
        Func<IGatewayObserver, Task<TResult>> call)
    {
        var routes = await GetRoutesAsync();
        var calls = new List<(string Gateway, Task<TResult> Task)>();
        foreach (var gatewayId in gatewayIds)
        {
            if (routes.TryGetValue(gatewayId, out var route))
            {
                calls.Add((gatewayId, Invoke(route.Observer, call)));
            }
        }

        var results = new List<TResult>(calls.Count);
        foreach (var (gateway, task) in calls)
        {
            try
            {
                results.Add(await task);
            }
            catch (Exception ex)
            {
                LogObserverCallFailed(ex, gateway);
            }
        }

        return results;
    }

    private async Task<TResult> Invoke<TResult>(IGatewayObserver observer, Func<IGatewayObserver, Task<TResult>> call) =>
        await call(observer).WaitAsync(settings.ObserverCallTimeout);

    private Task<Snapshot> RefreshAsync()
    {
        lock (gate)
        {
            return refreshing ??= FetchAsync();
        }
    }

    private async Task<Snapshot> FetchAsync()
    {
        try
        {
            var routes = await grains.GetGatewayDirectory().GetRoutesAsync();
            var next = new Snapshot(time.GetUtcNow(), routes.ToDictionary(r => r.Info.GatewayId, StringComparer.Ordinal));
            snapshot = next;
            return next;
        }
        catch (Exception ex)
        {
            LogRefreshFailed(ex);
            return snapshot;
        }
        finally
        {
            lock (gate)
            {
                refreshing = null;
            }
        }
    }

    private sealed record Snapshot(DateTimeOffset Taken, IReadOnlyDictionary<string, GatewayRoute> Routes)
    {
        public static readonly Snapshot Empty = new(DateTimeOffset.MinValue, new Dictionary<string, GatewayRoute>());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call to the observer of gateway {GatewayId} failed")]
    private partial void LogObserverCallFailed(Exception exception, string gatewayId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the live gateways from the directory; keeping the previous view")]
    private partial void LogRefreshFailed(Exception exception);
}
