using TeamTalk.Orleans.Diagnostics;

namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>
/// Fails the grain calls that were in flight when one of the Orleans client's silo connections dropped and are still
/// unanswered <see cref="GatewayOptions.SiloLossGrace"/> later, instead of letting them wait out the response timeout.
/// <para>
/// An Orleans client sends each call through one silo (its gateway). When that silo dies, the calls it was carrying
/// get no answer and no rejection: the client only learns of them at the response timeout (5 s), and until then the
/// connection's message pipeline, or a login, waits (issue 12 measured 8 sends held 5 s, and logins failing after
/// 5 s, per silo kill). Calls to grains of the dead silo sent through a live one fail by themselves once the cluster
/// declares it dead (about 1 s); calls to live grains answer in milliseconds. So a call that was already on its way
/// when a connection dropped and is still unanswered after the grace went through the dead silo or to it: it fails
/// with <see cref="SiloUnavailableException"/>, which callers treat like any failed call (a login retries it once;
/// a send is not acknowledged, and is not repeated, because it may have been committed before the silo died).
/// Calls made after the drop use the live silos and are not affected.
/// </para>
/// </summary>
internal sealed partial class SiloLossWatch : IClusterConnectionStatusObserver, IOutgoingGrainCallFilter, IDisposable
{
    private readonly InFlightCutoff cutoff;
    private readonly ILogger<SiloLossWatch> logger;
    private int cut;

    /// <summary>A watch; <paramref name="grace"/> zero turns it off.</summary>
    public SiloLossWatch(TimeSpan grace, TimeProvider time, ILogger<SiloLossWatch> logger)
    {
        cutoff = new InFlightCutoff(grace, time);
        this.logger = logger;
    }

    /// <summary>Calls failed by the watch since the gateway started.</summary>
    public int CutCalls => Volatile.Read(ref cut);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            ConnectionLost();
        }
    }

    public void NotifyClusterConnectionLost() => ConnectionLost();

    public Task Invoke(IOutgoingGrainCallContext context) => BoundAsync(context.Invoke());

    /// <summary>
    /// Completes as <paramref name="call"/> does, unless a silo connection drops while it runs and it is still
    /// running <see cref="GatewayOptions.SiloLossGrace"/> after that: then it fails with <see cref="SiloUnavailableException"/>.
    /// </summary>
    public Task BoundAsync(Task call)
    {
        if (call.IsCompleted || !cutoff.Enabled)
        {
            return call;
        }

        return WaitAsync(call, cutoff.Token);
    }

    private async Task WaitAsync(Task call, CancellationToken lost)
    {
        try
        {
            await call.WaitAsync(lost);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !call.IsCompleted)
        {
            // The answer, if it ever comes, is the response timeout's failure: observed here, reported by no one.
            _ = call.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Interlocked.Increment(ref cut);
            throw new SiloUnavailableException($"A silo connection of this gateway dropped while the call was on its way and it got no answer within {cutoff.Grace.TotalSeconds:0.#} s: it went through or to the lost silo");
        }
    }

    /// <summary>The calls on their way now are failed after the grace unless answered; later calls are not affected.</summary>
    private void ConnectionLost()
    {
        if (!cutoff.Enabled)
        {
            return;
        }

        var before = Volatile.Read(ref cut);
        LogConnectionLost(cutoff.Grace.TotalSeconds);
        _ = LogCutAsync(cutoff.Lost(), before);
    }

    private async Task LogCutAsync(Task cutting, int before)
    {
        await cutting.ConfigureAwait(false);
        var failed = Volatile.Read(ref cut) - before;
        if (failed > 0)
        {
            LogCut(failed, cutoff.Grace.TotalSeconds);
        }
    }

    public void Dispose() => cutoff.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A silo connection dropped; grain calls on their way still unanswered after {Grace} s fail then instead of at the response timeout")]
    private partial void LogConnectionLost(double grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {Count} grain calls that went through or to the lost silo and got no answer within {Grace} s of the drop")]
    private partial void LogCut(int count, double grace);
}
