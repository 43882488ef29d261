using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Grains.Conversations;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>
/// A conversation's hand-off of runs to members: at least once and in order per member, a failed or slow member
/// holding up neither the hand-off (the acknowledgement) nor the other members.
/// </summary>
public sealed class MemberDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider time = new();
    private readonly MemberDeliveryOptions options = new()
    {
        HandoffTimeout = TimeSpan.FromSeconds(1),
        RetryBackoff = TimeSpan.FromMilliseconds(100),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(100),
        GiveUpAfter = TimeSpan.FromSeconds(1),
    };

    private readonly Lock gate = new();
    private readonly List<(uint Member, uint Run)> calls = [];
    private readonly Dictionary<uint, Queue<Func<Task<bool>>>> scripts = [];
    private TaskCompletionSource<bool> callMade = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task A_member_whose_delivery_fails_gets_it_later_in_order_and_the_others_at_once()
    {
        var delivery = New();
        Script(2, () => Task.FromException<bool>(new InvalidOperationException("silo gone")));

        // Member 2's answer is unknown: its call failed, then its run waits behind the failed one.
        Assert.Equal(new uint[] { 1 }, await delivery.HandOffAsync([1, 2], Deliver(1), 1, 1).WaitAsync(Patience));
        Assert.Equal(new uint[] { 1 }, await delivery.HandOffAsync([1, 2], Deliver(2), 2, 1).WaitAsync(Patience));

        Assert.Equal([(1u, 1u), (2u, 1u), (1u, 2u)], Calls());
        Assert.Equal(1, delivery.LaggingMembers);

        time.Advance(options.RetryBackoff);
        await WaitForCallsAsync(5);
        Assert.Equal([1u, 1, 2], Calls().Where(c => c.Member == 2).Select(c => c.Run));
        await Until(() => delivery.LaggingMembers == 0);

        await delivery.HandOffAsync([1, 2], Deliver(3), 3, 1).WaitAsync(Patience);
        Assert.Equal([(1u, 3u), (2u, 3u)], Calls()[^2..]);
    }

    [Fact]
    public async Task A_slow_member_holds_up_the_hand_off_no_longer_than_the_timeout_and_its_run_is_awaited_not_repeated()
    {
        var delivery = New();
        var slow = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Script(2, () => slow.Task);

        var first = delivery.HandOffAsync([1, 2], Deliver(1), 1, 1);
        Assert.False(first.IsCompleted);
        time.Advance(options.HandoffTimeout);
        Assert.Equal(new uint[] { 1 }, await first.WaitAsync(Patience));

        await delivery.HandOffAsync([1, 2], Deliver(2), 2, 1).WaitAsync(Patience);
        Assert.Equal([(1u, 1u), (2u, 1u), (1u, 2u)], Calls());

        slow.SetResult(true);
        await WaitForCallsAsync(4);
        Assert.Equal([(1u, 1u), (2u, 1u), (1u, 2u), (2u, 2u)], Calls());
        await Until(() => delivery.LaggingMembers == 0);
    }

    [Fact]
    public async Task A_member_that_makes_no_progress_is_given_up_and_later_runs_go_to_it_directly()
    {
        var delivery = New();
        for (var i = 0; i < 100; i++)
        {
            Script(2, () => Task.FromException<bool>(new InvalidOperationException("silo gone")));
        }

        await delivery.HandOffAsync([1, 2], Deliver(1), 1, 1).WaitAsync(Patience);
        await delivery.HandOffAsync([1, 2], Deliver(2), 2, 1).WaitAsync(Patience);

        // One failure every backoff; no progress for GiveUpAfter (ten backoffs) gives the member up.
        for (var attempt = 2; attempt <= 11; attempt++)
        {
            time.Advance(options.RetryBackoff);
            await WaitForCallsAsync(2 + attempt);
        }

        await Until(() => delivery.LaggingMembers == 0);
        Assert.Equal(11, Calls().Count(c => c.Member == 2));
        Assert.All(Calls().Where(c => c.Member == 2), c => Assert.Equal(1u, c.Run));

        lock (gate)
        {
            scripts.Clear();
        }

        await delivery.HandOffAsync([1, 2], Deliver(3), 3, 1).WaitAsync(Patience);
        Assert.Equal([(1u, 3u), (2u, 3u)], Calls()[^2..]);
    }

    [Fact]
    public async Task The_hand_off_names_the_members_whose_delivery_answered_true()
    {
        var delivery = New();
        Script(1, () => Task.FromResult(false));

        Assert.Equal(new uint[] { 2, 3 }, await delivery.HandOffAsync([1, 2, 3], Deliver(1), 1, 1).WaitAsync(Patience));
        Assert.Equal(new uint[] { 1, 2, 3 }, await delivery.HandOffAsync([1, 2, 3], Deliver(2), 2, 1).WaitAsync(Patience));
    }

    private MemberDelivery New() => new("test", options, time, NullLogger.Instance);

    private void Script(uint member, Func<Task<bool>> outcome)
    {
        lock (gate)
        {
            if (!scripts.TryGetValue(member, out var queue))
            {
                scripts[member] = queue = new Queue<Func<Task<bool>>>();
            }

            queue.Enqueue(outcome);
        }
    }

    /// <summary>The delivery of run <paramref name="run"/>: scripted outcomes first, then success with "on a phone".</summary>
    private Func<uint, Task<bool>> Deliver(uint run) => member =>
    {
        Func<Task<bool>>? outcome;
        lock (gate)
        {
            calls.Add((member, run));
            outcome = scripts.TryGetValue(member, out var queue) && queue.TryDequeue(out var next) ? next : null;
            callMade.TrySetResult(true);
            callMade = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return outcome is null ? Task.FromResult(true) : outcome();
    };

    private (uint Member, uint Run)[] Calls()
    {
        lock (gate)
        {
            return [.. calls];
        }
    }

    private async Task WaitForCallsAsync(int count)
    {
        while (true)
        {
            Task made;
            lock (gate)
            {
                if (calls.Count >= count)
                {
                    return;
                }

                made = callMade.Task;
            }

            await made.WaitAsync(Patience);
        }
    }

    /// <summary>Waits for a state reached by a continuation that runs after the awaited call (it yields between checks; bounded).</summary>
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Yield();
        }
    }
}
