using Microsoft.Extensions.Time.Testing;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>
/// The silo's clock: a <see cref="FakeTimeProvider"/> that moves only when a test advances it (message times, join
/// times and session times are then exact), and that counts the timers armed per due time, so a test can wait for a
/// grain to reach a delay it arms after some work (a group's session touch) instead of sleeping.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock gate = new();
    private readonly Dictionary<TimeSpan, int> armed = [];
    private readonly List<(TimeSpan DueTime, int Count, TaskCompletionSource Reached)> waiters = [];

    /// <summary>How many timers with this due time were created so far.</summary>
    public int Armed(TimeSpan dueTime)
    {
        lock (gate)
        {
            return armed.GetValueOrDefault(dueTime);
        }
    }

    /// <summary>Completes once <paramref name="count"/> timers with this due time were created; fails after <see cref="TestConnection.Timeout"/>.</summary>
    public async Task WaitArmedAsync(TimeSpan dueTime, int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (armed.GetValueOrDefault(dueTime) >= count)
            {
                return;
            }

            waiters.Add((dueTime, count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(TestConnection.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no timer of {dueTime} was armed within {TestConnection.Timeout}");
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (gate)
        {
            var count = armed[dueTime] = armed.GetValueOrDefault(dueTime) + 1;
            waiters.RemoveAll(w =>
            {
                var done = w.DueTime == dueTime && count >= w.Count;
                if (done)
                {
                    w.Reached.TrySetResult();
                }

                return done;
            });
        }

        return timer;
    }
}
