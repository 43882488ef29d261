using System.Collections.Concurrent;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>A silo call filter that counts the calls each User grain received, by method: what a test asserts was not asked.</summary>
public sealed class UserGrainCalls : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(uint User, string Method), int> counts = new();

    /// <summary>Calls of <paramref name="method"/> that the User grain of <paramref name="userId"/> received so far.</summary>
    public int Count(uint userId, string method) => counts.GetValueOrDefault((userId, method));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IUserGrain) && context.TargetId.TryGetIntegerKey(out var key, out _))
        {
            counts.AddOrUpdate(((uint)key, context.InterfaceMethod.Name), 1, (_, n) => n + 1);
        }

        return context.Invoke();
    }
}
