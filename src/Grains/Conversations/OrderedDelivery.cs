namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// A conversation's committed messages on their way out, strictly in id order (invariant 3). Commits can complete out
/// of order, so each waits until every lower id was delivered or abandoned (its commit failed); then the consecutive
/// ready ones go as one run (at most <see cref="RunDelivery.MaxRun"/>, and only while <c>sameRun</c> holds), one run at
/// a time. Used from a grain's turns only (no locking).
/// </summary>
/// <param name="first">The first id to deliver.</param>
/// <param name="sameRun">Whether a ready message may join the run started by another.</param>
/// <param name="deliver">Delivers one run; its failures are the caller's to log (delivery goes on with the next run).</param>
public sealed class OrderedDelivery<T>(uint first, Func<T, T, bool> sameRun, Func<List<T>, Task> deliver)
{
    private readonly SortedDictionary<uint, T> ready = [];
    private readonly HashSet<uint> abandoned = [];
    private uint next = first;
    private bool delivering;

    /// <summary>Message <paramref name="id"/> committed: it goes out once every lower id is done.</summary>
    public Task CommittedAsync(uint id, T message)
    {
        ready[id] = message;
        return DeliverReadyAsync();
    }

    /// <summary>Message <paramref name="id"/> will never commit: the ids after it need not wait for it.</summary>
    public Task AbandonedAsync(uint id)
    {
        abandoned.Add(id);
        return DeliverReadyAsync();
    }

    private async Task DeliverReadyAsync()
    {
        if (delivering)
        {
            return;
        }

        delivering = true;
        try
        {
            while (true)
            {
                while (abandoned.Remove(next))
                {
                    next++;
                }

                if (!ready.Remove(next, out var head))
                {
                    return;
                }

                next++;
                var run = new List<T> { head };
                while (run.Count < RunDelivery.MaxRun && ready.TryGetValue(next, out var more) && sameRun(head, more))
                {
                    ready.Remove(next++);
                    run.Add(more);
                }

                await deliver(run);
            }
        }
        finally
        {
            delivering = false;
        }
    }
}
