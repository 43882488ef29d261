using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Diagnostics;
using TeamTalk.Orleans.Grains.Directory;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Routing;

/// <summary>
/// The silo's cached view of the live gateways and their observers, refreshed from the
/// <see cref="IGatewayDirectoryGrain"/> when older than <see cref="GatewayDirectoryOptions.RouteCacheLifetime"/>
/// (one refresh in flight at a time). Grains use it to reach the gateway that holds a connection, calling every
/// gateway in parallel with a timeout so that one slow gateway never delays the others. Pushes go through one
/// <see cref="GatewayPushQueue"/> per gateway, which batches them while a call to that gateway is in flight; a
/// gateway in this silo's process (<see cref="InProcessGateways"/>) gets them by a method call on its observer.
/// </summary>
public sealed partial class GatewayRouter(
    IGrainFactory grains,
    InProcessGateways inProcess,
    IOptions<GatewayDirectoryOptions> options,
    TimeProvider time,
    ILogger<GatewayRouter> logger) : IDisposable
{
    private readonly GatewayDirectoryOptions settings = options.Value;
    private readonly Lock gate = new();
    private Snapshot snapshot = Snapshot.Empty;
    private readonly ConcurrentDictionary<string, GatewayPushQueue> pushQueues = new(StringComparer.Ordinal);
    private Task<Snapshot>? refreshing;
    private long dropped;
    private readonly FaultLog callFaults = new("Gateway observer calls", logger, time);
    private readonly FaultLog pushFaults = new("Pushes to gateways", logger, time);
    private readonly InFlightCutoff inFlight = new(options.Value.SiloLossGrace, time);

    public void Dispose()
    {
        callFaults.Dispose();
        pushFaults.Dispose();
        inFlight.Dispose();
    }

    /// <summary>
    /// A silo was declared dead: the observer calls on their way now fail <see cref="GatewayDirectoryOptions.SiloLossGrace"/>
    /// from now unless answered by then (one carried by the dead silo never is); later calls are not affected.
    /// </summary>
    public void SiloLost() => _ = inFlight.Lost();

    /// <summary>Upper bound of one observer call.</summary>
    public TimeSpan CallTimeout => settings.ObserverCallTimeout;

    /// <summary>How long a gateway that stopped announcing stays in the directory (<see cref="GatewayDirectoryOptions.EntryLifetime"/>).</summary>
    public TimeSpan GatewayLifetime => settings.EntryLifetime;

    /// <summary>The live gateways, at most <see cref="GatewayDirectoryOptions.RouteCacheLifetime"/> old (an empty view is fetched anew each time).</summary>
    public async ValueTask<IReadOnlyDictionary<string, GatewayRoute>> GetRoutesAsync()
    {
        // An empty view is never kept: taken before the first gateway announced itself (a cluster starting), it would
        // hide that gateway's connections (presence answers, pushes) for a whole cache lifetime.
        var current = snapshot;
        if (current.Routes.Count > 0 && time.GetUtcNow() - current.Taken < settings.RouteCacheLifetime)
        {
            return current.Routes;
        }

        return (await RefreshAsync()).Routes;
    }

    /// <summary>
    /// The live gateways as <see cref="GetRoutesAsync"/> gives them, but fetched anew from the directory when
    /// <paramref name="gatewayId"/> is not in the cached view: a gateway that joined after the view was taken is not
    /// mistaken for one that left.
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, GatewayRoute>> GetRoutesWithAsync(string gatewayId)
    {
        var routes = await GetRoutesAsync();
        return routes.ContainsKey(gatewayId) ? routes : (await RefreshAsync()).Routes;
    }

    /// <summary>
    /// Calls <paramref name="call"/> on the observer of each given gateway in parallel, each bounded by
    /// <see cref="CallTimeout"/>. Returns the results of the calls that succeeded; failures are logged.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> CallAsync<TResult>(
        IEnumerable<string> gatewayIds,
        Func<IGatewayObserver, Task<TResult>> call) =>
        [.. (await QueryAsync(gatewayIds, call)).Values];

    /// <summary>
    /// As <see cref="CallAsync"/>, keyed by gateway: a live gateway missing from the answer did not answer (logged).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, TResult>> QueryAsync<TResult>(
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

        var results = new Dictionary<string, TResult>(calls.Count, StringComparer.Ordinal);
        foreach (var (gateway, task) in calls)
        {
            try
            {
                results[gateway] = await task;
            }
            catch (Exception ex)
            {
                if (callFaults.Record(ex))
                {
                    LogObserverCallFailed(ex, gateway);
                }

                ReportIfGone(ex, gateway);
            }
        }

        return results;
    }

    /// <summary>
    /// Queues <paramref name="pushes"/> for the given connections of one gateway (see <see cref="GatewayPushQueue"/>);
    /// completes when the call carrying them ended: false when it failed (logged, never thrown), including when the
    /// gateway is no longer in the live view: the caller checked the view before pushing, so the gateway left in between
    /// and the caller's retry finds out whether it is gone for good.
    /// </summary>
    public Task<bool> PushAsync(string gatewayId, long[] connectionIds, ClientPush[] pushes) =>
        pushQueues.GetOrAdd(gatewayId, static (id, router) => new GatewayPushQueue(id, router.SendAsync, router.CountDropped), this)
            .EnqueueAsync(new PushDelivery(connectionIds, pushes));

    /// <summary>One observer call of a push queue: bounded by <see cref="CallTimeout"/>; a failure is logged and rethrown to the queue.</summary>
    private async Task SendAsync(string gatewayId, PushDelivery[] deliveries)
    {
        try
        {
            var routes = await GetRoutesWithAsync(gatewayId);
            if (!routes.TryGetValue(gatewayId, out var route))
            {
                throw new GatewayNotLiveException(gatewayId);
            }

            // A gateway in this silo's process is called directly: no message, no copy, no hand-off to another thread.
            var observer = inProcess.TryGet(gatewayId, out var local) ? local : route.Observer;
            await observer.PushAsync(deliveries).WaitAsync(settings.ObserverCallTimeout, inFlight.Token);
        }
        catch (Exception ex)
        {
            if (pushFaults.Record(ex))
            {
                LogPushFailed(ex, gatewayId, deliveries.Length);
            }

            ReportIfGone(ex, gatewayId);
            throw;
        }
    }

    /// <summary>A push queue was full: counted, and logged at most once per 1,000 drops.</summary>
    private void CountDropped(string gatewayId)
    {
        var total = Interlocked.Increment(ref dropped);
        if (total % 1000 == 1)
        {
            LogPushesDropped(gatewayId, GatewayPushQueue.Capacity, total);
        }
    }

    /// <summary>
    /// An observer call that failed as calls to a dead gateway do (its client is gone from the cluster) is reported to
    /// the directory, which drops the gateway at once if it has stopped announcing too. A call that only timed out is
    /// not: a live gateway times out while a silo on the way dies, and it must not be dropped (its connections would be
    /// forgotten); a hung one expires with its entry.
    /// </summary>
    private void ReportIfGone(Exception exception, string gatewayId)
    {
        if (exception is ClientNotAvailableException || exception.InnerException is ClientNotAvailableException)
        {
            _ = ReportUnreachableAsync(gatewayId);
        }
    }

    private async Task ReportUnreachableAsync(string gatewayId)
    {
        try
        {
            await grains.GetGatewayDirectory().ReportUnreachableAsync(gatewayId);
        }
        catch (Exception ex)
        {
            LogReportFailed(ex, gatewayId);
        }
    }

    private async Task<TResult> Invoke<TResult>(IGatewayObserver observer, Func<IGatewayObserver, Task<TResult>> call) =>
        await call(observer).WaitAsync(settings.ObserverCallTimeout, inFlight.Token);

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
            foreach (var queue in pushQueues.Values)
            {
                if (!next.Routes.ContainsKey(queue.GatewayId) && queue.IsIdle)
                {
                    pushQueues.TryRemove(new KeyValuePair<string, GatewayPushQueue>(queue.GatewayId, queue));
                }
            }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call to the observer of gateway {GatewayId} failed (further failures are counted)")]
    private partial void LogObserverCallFailed(Exception exception, string gatewayId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing {Count} deliveries to gateway {GatewayId} failed; chat messages are retried by their conversations, the rest stays in unread counts and history (further failures are counted)")]
    private partial void LogPushFailed(Exception exception, string gatewayId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The push queue of gateway {GatewayId} is full ({Capacity} waiting); pushes dropped so far: {Total}")]
    private partial void LogPushesDropped(string gatewayId, int capacity, long total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report unreachable gateway {GatewayId} to the directory")]
    private partial void LogReportFailed(Exception exception, string gatewayId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the live gateways from the directory; keeping the previous view")]
    private partial void LogRefreshFailed(Exception exception);
}
