using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Routing;

/// <summary>
/// The silo's pushes to one gateway. A push is sent at once when no call to that gateway is in flight; pushes that
/// arrive meanwhile wait and go together in the next call (at most <see cref="MaxBatch"/> deliveries each), so a busy
/// silo makes one observer call per round trip rather than one per message, and an idle one adds no delay. Order is
/// kept (one call at a time, in arrival order). A slow or dead gateway only holds up its own queue, which is bounded:
/// beyond <see cref="Capacity"/> waiting deliveries new ones are dropped and counted (messages stay in unread and
/// history, and a chat message's conversation retries it). Each caller's task completes when the call carrying its
/// delivery ended: true when it succeeded, false when it failed or the delivery was dropped, so that a delivery that
/// must arrive can be retried.
/// </summary>
/// <param name="gatewayId">The gateway.</param>
/// <param name="send">One observer call carrying deliveries; bounded; it logs its failure and then throws it (<see cref="GatewayRouter"/>).</param>
/// <param name="dropped">Called for each delivery dropped because the queue was full.</param>
public sealed class GatewayPushQueue(string gatewayId, Func<string, PushDelivery[], Task> send, Action<string> dropped)
{
    /// <summary>Deliveries per observer call.</summary>
    public const int MaxBatch = 512;

    /// <summary>Deliveries that may wait for one gateway.</summary>
    public const int Capacity = 50_000;

    private readonly Lock gate = new();
    private List<Waiting> waiting = [];
    private bool sending;

    public string GatewayId { get; } = gatewayId;

    /// <summary>True while nothing waits or is being sent.</summary>
    public bool IsIdle
    {
        get
        {
            lock (gate)
            {
                return !sending && waiting.Count == 0;
            }
        }
    }

    /// <summary>Queues one delivery; true when the call carrying it succeeded, false when that call failed or the queue was full.</summary>
    public Task<bool> EnqueueAsync(PushDelivery delivery)
    {
        // Completed by the send loop after its call; continuations run there, without a thread-pool hop per delivery.
        // That is safe because every waiter is a User grain's await, which the runtime posts to the grain's own scheduler
        // instead of running it on the loop's thread. A waiter outside a grain would run here and hold up this gateway's
        // later pushes: keep it that way.
        var done = new TaskCompletionSource<bool>();
        lock (gate)
        {
            if (waiting.Count >= Capacity)
            {
                dropped(GatewayId);
                return Task.FromResult(false);
            }

            waiting.Add(new Waiting(delivery, done));
            if (sending)
            {
                return done.Task;
            }

            sending = true;
        }

        // Off the calling grain's scheduler: the loop serves every grain of the silo.
        _ = Task.Run(SendAllAsync);
        return done.Task;
    }

    private async Task SendAllAsync()
    {
        while (true)
        {
            List<Waiting> batch;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    sending = false;
                    return;
                }

                batch = waiting;
                waiting = [];
            }

            for (var start = 0; start < batch.Count; start += MaxBatch)
            {
                var count = Math.Min(MaxBatch, batch.Count - start);
                var deliveries = new PushDelivery[count];
                for (var i = 0; i < count; i++)
                {
                    deliveries[i] = batch[start + i].Delivery;
                }

                bool sent;
                try
                {
                    await send(GatewayId, deliveries);
                    sent = true;
                }
                catch (Exception)
                {
                    // Logged by the sender; the waiters learn of it (and may retry).
                    sent = false;
                }

                for (var i = 0; i < count; i++)
                {
                    batch[start + i].Done.TrySetResult(sent);
                }
            }
        }
    }

    private readonly record struct Waiting(PushDelivery Delivery, TaskCompletionSource<bool> Done);
}
