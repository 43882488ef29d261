using MySqlConnector;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Data.IntegrationTests;

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

        var newest = await store.HistoryAsync(ConversationKind.Pair, RelateId, msgIdBegin: 0, count: 20, since: 0);
        var middle = await store.HistoryAsync(ConversationKind.Pair, RelateId, msgIdBegin: 2500, count: 10, since: 0);

        Assert.Equal(Enumerable.Range(4981, 20).Reverse().Select(i => (uint)i), newest.Select(m => m.MsgId));
        Assert.Equal([2500u, 2499, 2498, 2497, 2496, 2494, 2493, 2492, 2491, 2490], middle.Select(m => m.MsgId));
        Assert.Equal("message 2500", System.Text.Encoding.UTF8.GetString(middle[0].Data));
        Assert.Equal(1u, middle[0].FromUserId);
    }

    [Fact]
    public async Task A_page_deep_in_the_conversation_is_read_from_the_index_without_sorting_the_rows_before_it()
    {
        await using var connection = await dataSource!.OpenConnectionAsync();
        await using var explain = new MySqlCommand("EXPLAIN " + MessageTable.ForRelation(RelateId).Page("status = 0 AND msgId <= @begin"), connection);
        explain.Parameters.AddWithValue("@c", RelateId);
        explain.Parameters.AddWithValue("@begin", 2500);
        explain.Parameters.AddWithValue("@limit", 20);
        await using var reader = await explain.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        var extra = reader["Extra"] as string ?? string.Empty;
        Assert.DoesNotContain("filesort", extra, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_tail_is_the_highest_id_ever_committed_and_the_newest_message()
    {
        var store = new MessageStore(new Database(dataSource!, TimeProvider.System));
        await Db.ExecAsync(fixture.ConnectionString, "REPLACE INTO TeamTalkMsgIdWatermark (relateId, lastMsgId, expectedMsgId, writerToken, updated) VALUES (9, 5003, 5002, 1, 0)");

        var tail = await store.LoadTailAsync(ConversationKind.Pair, RelateId);
        var none = await store.LoadTailAsync(ConversationKind.Pair, 17);
        await Db.ExecAsync(fixture.ConnectionString, "DELETE FROM TeamTalkMsgIdWatermark WHERE relateId = 9");

        Assert.Equal((5003u, 5000u), (tail.LastMsgId, tail.Latest!.MsgId));
        Assert.Equal(new ConversationTail(0, null), none);
    }

    [Fact]
    public async Task The_newest_messages_of_many_conversations_come_in_one_statement()
    {
        var store = new MessageStore(new Database(dataSource!, TimeProvider.System));

        var latest = await store.LatestAsync([(ConversationKind.Pair, RelateId), (ConversationKind.Pair, 17), (ConversationKind.Group, RelateId)]);

        Assert.Equal([(ConversationKind.Pair, RelateId)], latest.Keys);
        Assert.Equal((5000u, 1u), (latest[(ConversationKind.Pair, RelateId)].MsgId, latest[(ConversationKind.Pair, RelateId)].FromUserId));
    }
}
