using Microsoft.Extensions.Logging;

namespace TeamTalk.Orleans.Diagnostics;

/// <summary>
/// Keeps a recurring fault (the database down, a dead silo or gateway) from drowning the log. The first failure of a
/// fault is logged by the caller with its stack (<see cref="Record"/> returns true for it); the failures after it are
/// only counted, and once per interval this writes "{What}: N failed in the last 5 s: {reason}". The fault ends when
/// the caller reports a success (<see cref="Recovered"/>) or after a whole interval without a failure, and its end is
/// logged with the total. Thread-safe; one instance per kind of failure (a singleton, shared by every grain or
/// connection that can hit it). <c>RejectLog</c> is the per-connection variant for bad input.
/// </summary>
public sealed partial class FaultLog : IDisposable
{
    /// <summary>The default interval between two summaries of one fault.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly string what;
    private readonly TimeSpan interval;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private volatile ITimer? timer;
    private long started;
    private long total;
    private int pending;
    private string reason = string.Empty;

    /// <summary>A fault log writing to <paramref name="logger"/>, one summary per <paramref name="interval"/> (default 5 s).</summary>
    /// <param name="what">What fails, plural, as the log line names it (e.g. "Message sends").</param>
    /// <param name="logger">Where the summaries and ends go (the caller's logger).</param>
    /// <param name="time">The clock of the interval timer.</param>
    /// <param name="interval">Between two summaries; <see cref="DefaultInterval"/> when null.</param>
    public FaultLog(string what, ILogger logger, TimeProvider time, TimeSpan? interval = null)
    {
        this.what = what;
        this.logger = logger;
        this.time = time;
        this.interval = interval ?? DefaultInterval;
    }

    /// <summary>True while a fault is going on.</summary>
    public bool Faulting
    {
        get
        {
            lock (gate)
            {
                return timer is not null;
            }
        }
    }

    /// <summary>
    /// Counts one failure. True when it starts a fault: the caller logs it in full (with the exception and its stack);
    /// false when it is counted into the next summary and must not be logged.
    /// </summary>
    public bool Record(Exception exception)
    {
        lock (gate)
        {
            total++;
            reason = Describe(exception);
            if (timer is not null)
            {
                pending++;
                return false;
            }

            started = time.GetTimestamp();
            timer = time.CreateTimer(static state => ((FaultLog)state!).Tick(), this, interval, interval);
            return true;
        }
    }

    /// <summary>A success: ends the fault going on, if any (logged with its duration and total).</summary>
    public void Recovered()
    {
        if (timer is null)
        {
            return;
        }

        lock (gate)
        {
            End();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            timer?.Dispose();
            timer = null;
        }
    }

    private void Tick()
    {
        lock (gate)
        {
            if (timer is null)
            {
                return;
            }

            if (pending == 0)
            {
                End();
                return;
            }

            LogContinuing(what, pending, interval.TotalSeconds, reason);
            pending = 0;
        }
    }

    private void End()
    {
        if (timer is null)
        {
            return;
        }

        timer.Dispose();
        timer = null;
        var duration = time.GetElapsedTime(started);
        if (pending > 0)
        {
            LogContinuing(what, pending, interval.TotalSeconds, reason);
        }

        LogEnded(what, duration.TotalSeconds, total);
        pending = 0;
        total = 0;
    }

    /// <summary>The innermost exception's type and message, e.g. "MySqlException: Unable to connect to any of the specified MySQL hosts."</summary>
    private static string Describe(Exception exception)
    {
        var inner = exception.GetBaseException();
        return $"{inner.GetType().Name}: {inner.Message}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What}: {Count} more failed in the last {Seconds:F0} s: {Reason}")]
    private partial void LogContinuing(string what, int count, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{What}: failures ended after {Seconds:F1} s ({Total} failed in all)")]
    private partial void LogEnded(string what, double seconds, long total);
}
