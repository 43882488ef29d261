using Microsoft.Extensions.Logging;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// At-least-once hand-off of a conversation's runs to its members' User grains, in id order per member, without one
/// member holding up another (used from the owning grain's turns only, no locking).
/// <para>
/// A run is offered to every member at once; <see cref="HandOffAsync"/> returns when every member's call completed or
/// <see cref="MemberDeliveryOptions.HandoffTimeout"/> passed. A member whose call failed (its User grain's silo died,
/// say) or is still running becomes <em>lagging</em>: its later runs queue behind that one and leave one at a time, and
/// a failed call is retried with a doubling backoff (the User grain reactivates elsewhere and recovers its connections
/// from the gateways) until it succeeds. A call that timed out is awaited, not repeated, so a member's runs never
/// overtake one another. A retried run may reach a gateway twice (the first attempt got there but its answer was lost
/// with the silo): gateways drop message ids a connection already got. A member that made no progress for
/// <see cref="MemberDeliveryOptions.GiveUpAfter"/>, or has more than <see cref="MemberDeliveryOptions.MaxBacklog"/>
/// messages waiting, is given up (logged; the messages stay in history and unread counts). Each fault is logged when
/// it starts (with its exception) and when it ends.
/// </para>
/// </summary>
/// <param name="conversation">The conversation in log lines.</param>
/// <param name="options">Timeouts, backoff and bounds.</param>
/// <param name="time">The silo's clock.</param>
/// <param name="logger">Where faults are logged.</param>
public sealed partial class MemberDelivery(string conversation, MemberDeliveryOptions options, TimeProvider time, ILogger logger)
{
    private const ConfigureAwaitOptions InGrainNoThrow = ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing;

    /// <summary>The "call" of a run queued behind a lagging member's earlier ones: handed off, its answer unknown.</summary>
    private static readonly Task<bool> Queued = Task.FromResult(false);

    private readonly Dictionary<uint, Backlog> lagging = [];

    /// <summary>Members whose runs currently wait behind a failed or slow delivery.</summary>
    public int LaggingMembers => lagging.Count;

    /// <summary>
    /// Completes when every lagging member caught up or was given up: what the owning grain awaits before it
    /// deactivates (a silo shutting down, say), so that acknowledged messages still on their way are not dropped with it.
    /// </summary>
    public Task WhenCaughtUpAsync() => lagging.Count == 0 ? Task.CompletedTask : Task.WhenAll(lagging.Values.Select(b => b.Drain));

    /// <summary>
    /// Hands one run (messages <paramref name="firstId"/> on, <paramref name="count"/> of them) to each of
    /// <paramref name="members"/>: <paramref name="deliver"/> starts the call that delivers it to one member. Completes
    /// when each member's call succeeded, or its run was queued behind the member's earlier ones, or is retried or
    /// awaited in the background; never later than the hand-off timeout; never throws. Returns the members whose call
    /// succeeded within the hand-off and answered true (a member whose run waits, or whose call failed, is not among
    /// them: its answer is unknown).
    /// </summary>
    public async Task<uint[]> HandOffAsync(uint[] members, Func<uint, Task<bool>> deliver, uint firstId, int count)
    {
        var run = new Run(deliver, firstId, count);
        var calls = new Task<bool>[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            if (!lagging.TryGetValue(members[i], out var backlog))
            {
                calls[i] = Start(run, members[i]);
            }
            else if (backlog.TryEnqueue(run, options.MaxBacklog))
            {
                calls[i] = Queued;
            }
            else
            {
                // Too much waits for this member: what waits is given up (its drain says so) and the member starts afresh.
                lagging.Remove(members[i]);
                calls[i] = Start(run, members[i]);
            }
        }

        Task all = Task.WhenAll(calls);
        if (!all.IsCompleted)
        {
            await all.WaitAsync(options.HandoffTimeout, time).ConfigureAwait(InGrainNoThrow);
        }

        if (!all.IsCompletedSuccessfully)
        {
            Lag(members, run, calls);
        }

        return Answered(members, calls);
    }

    /// <summary>The members whose call completed successfully with true.</summary>
    private static uint[] Answered(uint[] members, Task<bool>[] calls)
    {
        List<uint>? answered = null;
        for (var i = 0; i < calls.Length; i++)
        {
            if (calls[i].IsCompletedSuccessfully && calls[i].Result)
            {
                (answered ??= []).Add(members[i]);
            }
        }

        return answered is null ? [] : [.. answered];
    }

    /// <summary>Members whose call failed or is still running start lagging: their later runs queue behind this one.</summary>
    private void Lag(uint[] members, Run run, Task<bool>[] calls)
    {
        for (var i = 0; i < members.Length; i++)
        {
            if (calls[i].IsCompletedSuccessfully)
            {
                continue;
            }

            if (lagging.TryGetValue(members[i], out var backlog))
            {
                // The member appears twice in the run's recipients: the run is already on its way.
                continue;
            }

            backlog = new Backlog(run, calls[i]);
            lagging[members[i]] = backlog;
            backlog.Drain = DrainAsync(members[i], backlog);
        }
    }

    /// <summary>Starts one delivery call; a call that throws before returning its task fails the same way.</summary>
    private static Task<bool> Start(Run run, uint member)
    {
        try
        {
            return run.Deliver(member);
        }
        catch (Exception ex)
        {
            return Task.FromException<bool>(ex);
        }
    }

    /// <summary>Delivers what waits for one lagging member, in order, until nothing does (or the member is given up).</summary>
    private async Task DrainAsync(uint member, Backlog backlog)
    {
        var progressAt = time.GetTimestamp();
        var failures = 0;
        var attempts = 0;
        Task? call = backlog.InFlight;
        while (!backlog.GivenUp && backlog.Runs.TryPeek(out var run))
        {
            call ??= Start(run, member);
            attempts++;
            await call.ConfigureAwait(InGrainNoThrow);
            if (call.IsCompletedSuccessfully)
            {
                backlog.Runs.Dequeue();
                backlog.Waiting -= run.Count;
                progressAt = time.GetTimestamp();
                failures = 0;
                call = null;
                continue;
            }

            if (backlog.Failures++ == 0)
            {
                LogMemberFailed(call.Exception?.GetBaseException(), conversation, member, run.FirstId);
            }

            call = null;
            failures++;
            if (time.GetElapsedTime(progressAt) >= options.GiveUpAfter)
            {
                backlog.GivenUp = true;
                break;
            }

            var backoff = options.RetryBackoff * Math.Pow(2, Math.Min(failures - 1, 16));
            await Task.Delay(backoff < options.MaxRetryBackoff ? backoff : options.MaxRetryBackoff, time);
        }

        if (lagging.TryGetValue(member, out var current) && current == backlog)
        {
            lagging.Remove(member);
        }

        if (backlog.GivenUp)
        {
            LogMemberGivenUp(conversation, member, backlog.Waiting, backlog.Failures);
        }
        else if (backlog.Failures > 0)
        {
            LogMemberRecovered(conversation, member, backlog.Failures, attempts);
        }
    }

    /// <summary>One run as handed to members: the call that delivers it to one of them.</summary>
    private sealed record Run(Func<uint, Task<bool>> Deliver, uint FirstId, int Count);

    /// <summary>What waits for one lagging member: its runs in order, the first possibly still in flight.</summary>
    private sealed class Backlog
    {
        public Backlog(Run first, Task inFlight)
        {
            Runs.Enqueue(first);
            Waiting = first.Count;
            InFlight = inFlight;
        }

        public Queue<Run> Runs { get; } = new();

        /// <summary>The first run's call, still running or failed: awaited before anything else goes to the member.</summary>
        public Task InFlight { get; }

        /// <summary>Messages waiting.</summary>
        public int Waiting { get; set; }

        /// <summary>Failed calls since the member started lagging.</summary>
        public int Failures { get; set; }

        public bool GivenUp { get; set; }

        /// <summary>The loop that delivers what waits (never throws).</summary>
        public Task Drain { get; set; } = Task.CompletedTask;

        /// <summary>Queues a later run behind the ones waiting; false (and the backlog is given up) when that would make too many.</summary>
        public bool TryEnqueue(Run run, int capacity)
        {
            if (Waiting + run.Count > capacity)
            {
                GivenUp = true;
                return false;
            }

            Runs.Enqueue(run);
            Waiting += run.Count;
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {Conversation}: delivery to member {Member} failed at message {MsgId}; retrying in order (the member's later messages wait)")]
    private partial void LogMemberFailed(Exception? exception, string conversation, uint member, uint msgId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {Conversation}: delivery to member {Member} caught up after {Failures} failed of {Attempts} calls")]
    private partial void LogMemberRecovered(string conversation, uint member, int failures, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Conversation {Conversation}: gave up delivering {Count} messages to member {Member} after {Failures} failed calls; they stay in history and unread counts")]
    private partial void LogMemberGivenUp(string conversation, uint member, int count, int failures);
}
