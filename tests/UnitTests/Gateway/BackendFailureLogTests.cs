using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway.Files;
using TeamTalk.Orleans.Gateway.Msfs;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>
/// During an outage, every msfs request and file connection fails the same way: the log gets the first failure with its
/// stack and then counts, instead of a stack per request.
/// </summary>
public sealed class BackendFailureLogTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void Msfs_store_and_lookup_failures_and_missing_blobs_are_logged_once_per_fault()
    {
        var logger = new Capturing<MsfsLog>();
        using var log = new MsfsLog(logger, time);

        for (var i = 0; i < 100; i++)
        {
            log.NotStored(new IOException("disk full"), "g0/1.png");
            log.LookupFailed(new InvalidOperationException("database down"), "g0/1.png");
            log.BlobMissing("g0/1.png", new string('a', 32));
        }

        Assert.Equal(3, logger.Lines.Count);
        Assert.Single(logger.Lines, l => l.Contains("not recorded", StringComparison.Ordinal));
        Assert.Single(logger.Lines, l => l.Contains("lookup of", StringComparison.Ordinal));
        Assert.Single(logger.Lines, l => l.Contains("does not have", StringComparison.Ordinal));
    }

    [Fact]
    public void File_connections_cluster_and_blob_failures_are_logged_once_per_fault()
    {
        var logger = new Capturing<FileLog>();
        using var log = new FileLog(logger, time);

        for (var i = 0; i < 100; i++)
        {
            log.ClusterFailed(new TimeoutException("no silo"), i, "login");
            log.BlobFailed(new IOException("disk full"), i, "write");
        }

        Assert.Equal(2, logger.Lines.Count);
    }

    private sealed class Capturing<T> : ILogger<T>
    {
        private readonly Lock gate = new();
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (gate)
                {
                    return [.. lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (gate)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }
}
