namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Grain references of one kind kept by key (at most a fixed number; past it the cache starts over): resolving a
/// reference costs a type lookup and a key string, on every message otherwise. Thread-safe.
/// </summary>
internal sealed class GrainReferenceCache<TGrain>(int capacity)
    where TGrain : class
{
    private readonly Dictionary<uint, TGrain> byKey = [];
    private readonly Lock gate = new();

    /// <summary>The reference under <paramref name="key"/>, made by <paramref name="create"/> (a static lambda: no allocation) when missing.</summary>
    public TGrain Get<TState>(uint key, TState state, Func<TState, uint, TGrain> create)
    {
        lock (gate)
        {
            if (!byKey.TryGetValue(key, out var grain))
            {
                if (byKey.Count >= capacity)
                {
                    byKey.Clear();
                }

                grain = create(state, key);
                byKey[key] = grain;
            }

            return grain;
        }
    }
}
