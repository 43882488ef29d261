using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway.Connections;
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
        var logger = new CapturingLogger<MsfsLog>();
        using var log = new MsfsLog(logger, time);

        for (var i = 0; i < 100; i++)
        {
            log.NotStored(new IOException("disk full"), "g0/1.png");
            log.LookupFailed(new InvalidOperationException("database down"), "g0/1.png");
            log.BlobMissing("g0/1.png", new string('a', 32));
        }

        Assert.Equal(3, logger.Lines.Count);
        Assert.Single(logger.Lines, l => l.Text.Contains("not recorded", StringComparison.Ordinal));
        Assert.Single(logger.Lines, l => l.Text.Contains("lookup of", StringComparison.Ordinal));
        Assert.Single(logger.Lines, l => l.Text.Contains("does not have", StringComparison.Ordinal));
    }

    [Fact]
    public void File_connections_cluster_and_blob_failures_are_logged_once_per_fault()
    {
        var logger = new CapturingLogger<FileLog>();
        using var log = new FileLog(logger, time);

        for (var i = 0; i < 100; i++)
        {
            log.ClusterFailed(new TimeoutException("no silo"), i, "login");
            log.BlobFailed(new IOException("disk full"), i, "write");
        }

        Assert.Equal(2, logger.Lines.Count);
    }

    [Fact]
    public void A_flood_of_new_connections_each_rejected_once_writes_a_burst_of_20_warnings_then_20_a_second()
    {
        var logger = new CapturingLogger<ConnectionLog>();
        using var log = new ConnectionLog(logger, time: time);

        for (var i = 0; i < 100; i++)
        {
            log.Closing(new TestConnection().Connection, "bad frame");
            log.LoginRefused(i, "127.0.0.1:1", "u", "wrong name or password");
        }

        Assert.Equal(20, logger.Lines.Count(l => l.Text.Contains("closing: bad frame", StringComparison.Ordinal)));
        Assert.Equal(20, logger.Lines.Count(l => l.Text.Contains("refused", StringComparison.Ordinal)));
        time.Advance(TimeSpan.FromMilliseconds(50)); // one more line's worth
        log.Closing(new TestConnection().Connection, "bad frame");
        log.Closing(new TestConnection().Connection, "bad frame");
        Assert.Equal(41, logger.Lines.Count);
        Assert.Contains("(80 more rejections", logger.Lines[^1].Text, StringComparison.Ordinal);
    }
}
