using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>This gateway's open file connections by id (ids are unique for the process's lifetime).</summary>
internal sealed class FileConnectionRegistry
{
    private readonly ConcurrentDictionary<long, FileConnection> connections = new();
    private long lastId;

    public long NextId() => Interlocked.Increment(ref lastId);

    public void Add(FileConnection connection) => connections[connection.Id] = connection;

    public void Remove(FileConnection connection) => connections.TryRemove(connection.Id, out _);

    public bool TryGet(long id, [NotNullWhen(true)] out FileConnection? connection) => connections.TryGetValue(id, out connection);

    public ICollection<FileConnection> All => connections.Values;

    public int Count => connections.Count;
}
