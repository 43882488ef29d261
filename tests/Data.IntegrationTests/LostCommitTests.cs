using System.Net;
using MySqlConnector;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Schema;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>
/// A message batch whose COMMIT fails on the network, on a real MariaDB behind a proxy that cuts the connection there:
/// when the server committed (the answer was lost) the batch counts as committed, so its messages are acknowledged and
/// pushed; when it did not, the batch fails and nothing of it is stored.
/// </summary>
public sealed class LostCommitTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private CommitCuttingProxy? proxy;
    private MySqlDataSource? dataSource;
    private readonly ListLogger<MessageBatchWriter> log = new();

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(fixture.ConnectionString, CancellationToken.None);
        var direct = new MySqlConnectionStringBuilder(fixture.ConnectionString);
        var addresses = await Dns.GetHostAddressesAsync(direct.Server);
        proxy = new CommitCuttingProxy(new IPEndPoint(addresses[0], (int)direct.Port));
        dataSource = new MySqlDataSource(new MySqlConnectionStringBuilder(fixture.ConnectionString)
        {
            Server = "127.0.0.1",
            Port = (uint)proxy.Port,
            SslMode = MySqlSslMode.None,
            ConnectionReset = false,
        }.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await dataSource!.DisposeAsync();
        await proxy!.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_whose_commit_answer_was_lost_counts_as_committed()
    {
        const uint relateId = 41; // IMMessage_1
        var writer = new MessageBatchWriter(new Database(dataSource!, TimeProvider.System), log);
        var cut = proxy!.CutAtCommit(forwardCommit: true);

        var conflicts = await writer.TryWriteAsync(Batch(relateId), 1_700_000_010);

        Assert.True(cut.IsCompleted, "the COMMIT's connection was cut");
        Assert.Empty(conflicts);
        Assert.Equal(2L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMMessage_1 WHERE relateId = @r", ("@r", relateId)));
        Assert.Contains(log.Warnings, w => w.Contains("show it committed", StringComparison.Ordinal));

        // The writer goes on: the next batch of the conversation commits on a new connection.
        Assert.Empty(await writer.TryWriteAsync([Message(relateId, 3)], 1_700_000_011));
    }

    [Fact]
    public async Task A_batch_whose_commit_never_reached_the_server_fails_and_stores_nothing()
    {
        const uint relateId = 49; // IMMessage_1
        var writer = new MessageBatchWriter(new Database(dataSource!, TimeProvider.System), log);
        var cut = proxy!.CutAtCommit(forwardCommit: false);

        var failure = await Record.ExceptionAsync(() => writer.TryWriteAsync(Batch(relateId), 1_700_000_010));

        Assert.True(cut.IsCompleted, "the COMMIT's connection was cut");
        Assert.True(failure is MySqlException or IOException, $"the batch failed: {failure}");
        Assert.Equal(0L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMMessage_1 WHERE relateId = @r", ("@r", relateId)));
        Assert.Equal(0L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM TeamTalkMsgIdWatermark WHERE relateId = @r", ("@r", relateId)));

        // Nothing moved: the same ids commit when sent again.
        Assert.Empty(await writer.TryWriteAsync(Batch(relateId), 1_700_000_011));
    }

    private static PendingMessage[] Batch(uint relateId) => [Message(relateId, 1), Message(relateId, 2)];

    private static PendingMessage Message(uint relateId, uint msgId) =>
        PendingMessage.ForPair(relateId, 1, 2, msgId, 1_700_000_000 + msgId, MessageType.SingleText, $"m{msgId}", 5, []);
}
