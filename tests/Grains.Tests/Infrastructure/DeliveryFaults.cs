using System.Collections.Concurrent;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>
/// A silo call filter that fails deliveries to chosen users' grains, as a call to a User grain whose silo died fails:
/// tests arm it for a user and a number of calls.
/// </summary>
public sealed class DeliveryFaults : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<uint, int> failNext = new();

    /// <summary>The next <paramref name="calls"/> deliveries (<c>DeliverAsync</c>/<c>DeliverRunAsync</c>) to <paramref name="userId"/> fail.</summary>
    public void FailNext(uint userId, int calls) => failNext[userId] = calls;

    /// <summary>Deliveries failed so far.</summary>
    public int Failed => failed;

    private int failed;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IUserGrain)
            && context.InterfaceMethod.Name is nameof(IUserGrain.DeliverAsync) or nameof(IUserGrain.DeliverRunAsync)
            && context.TargetId.TryGetIntegerKey(out var key, out _)
            && TryTake((uint)key))
        {
            Interlocked.Increment(ref failed);
            throw new InvalidOperationException($"injected delivery failure for user {key}");
        }

        return context.Invoke();
    }

    private bool TryTake(uint userId)
    {
        while (failNext.TryGetValue(userId, out var left) && left > 0)
        {
            if (failNext.TryUpdate(userId, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }
}
