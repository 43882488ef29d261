using MySqlConnector;
using TeamTalk.Orleans.Grains.Data;
using TeamTalk.Orleans.Grains.Messaging;

namespace TeamTalk.Orleans.Storage.IntegrationTests;

/// <summary>History pages of a long conversation on a real MariaDB: their order, and a plan that reads only the page.</summary>
public sealed class MessageStoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const uint RelateId = 9; // IMMessage_1
    private MySqlDataSource? dataSource;

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(fixture.ConnectionString, CancellationToken.None);
        await Db.ExecAsync(fixture.ConnectionString, "DELETE FROM IMMessage_1 WHERE relateId = 9");
        await Db.ExecAsync(fixture.ConnectionString, """
            INSERT INTO IMMessage_1 (relateId, fromId, toId, msgId, content, type, status, created, updated)
            SELECT 9, 1 + (seq % 2), 2 - (seq % 2), seq, CONCAT('message ', seq), 1, IF(seq = 2495, 1, 0), 1700000000 + seq DIV 10, 1700000000
            FROM seq_1_to_5000;
            ANALYZE TABLE IMMessage_1;
            """);
        dataSource = new MySqlDataSource(fixture.ConnectionString);
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task Pages_come_newest_first_from_the_given_id_without_deleted_messages()
    {
        var store = new MessageStore(new Database(dataSource!, TimeProvider.System));

        var newest = await store.HistoryAsync(RelateId, msgIdBegin: 0, count: 20);
        var middle = await store.HistoryAsync(RelateId, msgIdBegin: 2500, count: 10);

        Assert.Equal(Enumerable.Range(4981, 20).Reverse().Select(i => (uint)i), newest.Select(m => m.MsgId));
        Assert.Equal([2500u, 2499, 2498, 2497, 2496, 2494, 2493, 2492, 2491, 2490], middle.Select(m => m.MsgId));
        Assert.Equal("message 2500", System.Text.Encoding.UTF8.GetString(middle[0].Data));
        Assert.Equal(1u, middle[0].FromUserId);
    }

    [Fact]
    public async Task A_page_deep_in_the_conversation_is_read_from_the_index_without_sorting_the_rows_before_it()
    {
        await using var connection = await dataSource!.OpenConnectionAsync();
        await using var explain = new MySqlCommand("EXPLAIN " + MessageStore.PageQuery(RelateId, "status = 0 AND msgId <= @begin"), connection);
        explain.Parameters.AddWithValue("@r", RelateId);
        explain.Parameters.AddWithValue("@begin", 2500);
        explain.Parameters.AddWithValue("@limit", 20);
        await using var reader = await explain.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        var extra = reader["Extra"] as string ?? string.Empty;
        Assert.DoesNotContain("filesort", extra, StringComparison.OrdinalIgnoreCase);
    }
}
