namespace TeamTalk.Orleans.Diagnostics;

/// <summary>
/// Cuts short the calls that were on their way when a silo was lost. A call takes <see cref="Token"/> when it starts;
/// <see cref="Lost"/> hands later calls a new token and cancels the old one <see cref="Grace"/> later, so a call that
/// was in flight at the loss and is still unanswered then ends, while calls made after it are not affected. A dead
/// silo never answers the calls it carried, and Orleans breaks only the calls addressed to it: the gateway's
/// <c>SiloLossWatch</c> (its grain calls, after a silo connection drops) and the silo's <c>GatewayRouter</c> (observer
/// calls, after membership declares a silo dead) use one each. Thread-safe.
/// </summary>
/// <param name="grace">How long in-flight calls still get after a loss; zero turns the cutoff off.</param>
/// <param name="time">The clock the grace runs on.</param>
public sealed class InFlightCutoff(TimeSpan grace, TimeProvider time) : IDisposable
{
    private CancellationTokenSource current = new();

    /// <summary>How long in-flight calls still get after a loss.</summary>
    public TimeSpan Grace => grace;

    /// <summary>False when the grace is zero: nothing is ever cut.</summary>
    public bool Enabled => grace > TimeSpan.Zero;

    /// <summary>The token of a call starting now: cancelled <see cref="Grace"/> after the next loss.</summary>
    public CancellationToken Token => Volatile.Read(ref current).Token;

    /// <summary>A silo was lost: the calls on their way now are cut after the grace. Completes once they are.</summary>
    public Task Lost()
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        var lost = Interlocked.Exchange(ref current, new CancellationTokenSource());
        return CutAfterGraceAsync(lost);
    }

    public void Dispose() => Volatile.Read(ref current).Dispose();

    private async Task CutAfterGraceAsync(CancellationTokenSource lost)
    {
        await Task.Delay(grace, time).ConfigureAwait(false);
        await lost.CancelAsync().ConfigureAwait(false);
        lost.Dispose();
    }
}
