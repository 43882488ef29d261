using System.Collections.Concurrent;
using System.Diagnostics;

namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>
/// One thread per process that fires every timed action (message sends in rate mode, heartbeats): a priority queue of
/// due times instead of a timer per connection. It sleeps until the next due time (about 1 ms resolution on Linux) and
/// never busy-waits, leaving the cores to the server. It stops by itself at its deadline.
/// </summary>
internal sealed class Scheduler : IDisposable
{
    private readonly PriorityQueue<IScheduled, long> queue = new();
    private readonly ConcurrentQueue<(IScheduled Item, long Due)> incoming = new();
    private readonly ManualResetEventSlim wake = new(false, spinCount: 1);
    private readonly Thread thread;
    private long deadline;
    private volatile bool stopping;

    public Scheduler(string name)
    {
        thread = new Thread(Loop) { IsBackground = true, Name = name, Priority = ThreadPriority.AboveNormal };
    }

    /// <summary>Actions run so far.</summary>
    public long Runs { get; private set; }

    /// <summary>Largest lateness seen (ticks between an action's due time and its run).</summary>
    public long MaxLatenessTicks { get; private set; }

    public void Add(IScheduled item, long due)
    {
        incoming.Enqueue((item, due));
        wake.Set();
    }

    /// <summary>Starts the thread; it ends at <paramref name="deadlineTicks"/> at the latest.</summary>
    public void Start(long deadlineTicks)
    {
        deadline = deadlineTicks;
        thread.Start();
    }

    /// <summary>Moves the deadline (e.g. to stop earlier).</summary>
    public void Stop()
    {
        stopping = true;
        wake.Set();
    }

    public void Dispose()
    {
        Stop();
        if (thread.IsAlive)
        {
            thread.Join(TimeSpan.FromSeconds(10));
        }

        wake.Dispose();
    }

    private void Loop()
    {
        var msTicks = Stopwatch.Frequency / 1000;
        while (!stopping)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                return;
            }

            while (incoming.TryDequeue(out var added))
            {
                queue.Enqueue(added.Item, added.Due);
            }

            while (queue.TryPeek(out var item, out var due) && due <= now)
            {
                queue.Dequeue();
                MaxLatenessTicks = Math.Max(MaxLatenessTicks, now - due);
                var next = item.Run(now);
                Runs++;
                if (next != long.MaxValue)
                {
                    queue.Enqueue(item, next);
                }

                now = Stopwatch.GetTimestamp();
                if (stopping)
                {
                    return;
                }
            }

            var nextDue = queue.TryPeek(out _, out var d) ? d : now + (100 * msTicks);
            var waitMs = (int)Math.Clamp((Math.Min(nextDue, deadline) - now) / msTicks, 1, 100);
            wake.Wait(waitMs);
            wake.Reset();
        }
    }
}
