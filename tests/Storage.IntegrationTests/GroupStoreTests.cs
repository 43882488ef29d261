using MySqlConnector;
using TeamTalk.Orleans.Grains.Data;
using TeamTalk.Orleans.Grains.Groups;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Storage.IntegrationTests;

/// <summary>Group SQL on a real MariaDB: loading a group, member changes, pages from the join time, unread counts, session touches.</summary>
public sealed class GroupStoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const uint Joined = 1_700_000_500;
    private MySqlDataSource? dataSource;
    private GroupStore? store;
    private uint groupId;
    private uint[] users = [];

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(fixture.ConnectionString, CancellationToken.None);
        dataSource = new MySqlDataSource(fixture.ConnectionString);
        store = new GroupStore(new Database(dataSource, TimeProvider.System));
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<uint>();
        foreach (var n in new[] { "a", "b", "c" })
        {
            await Db.ExecAsync(fixture.ConnectionString,
                $"INSERT INTO IMUser (name, nick, password, salt, departId, status, created, updated) VALUES ('gs-{n}-{suffix}', 'n', '', '', 1, 0, 0, 0)");
            ids.Add((uint)await Db.LongAsync(fixture.ConnectionString, $"SELECT id FROM IMUser WHERE name = 'gs-{n}-{suffix}'"));
        }

        users = [.. ids];
        groupId = await store.CreateAsync(users[0], "group " + suffix, string.Empty, [users[0], users[1]], Joined);

        // 2,000 messages, one per second from 1,700,000,000: the first 500 before the members joined; message 1000 deleted.
        await Db.ExecAsync(fixture.ConnectionString, $"""
            INSERT INTO {Grains.Messaging.MessageTables.ForGroup(groupId)} (groupId, userId, msgId, content, type, status, created, updated)
            SELECT {groupId}, {users[1]}, seq, CONCAT('message ', seq), 17, IF(seq = 1000, 1, 0), 1700000000 + seq - 1, 1700000000
            FROM seq_1_to_2000;
            ANALYZE TABLE {Grains.Messaging.MessageTables.ForGroup(groupId)};
            """);
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task A_created_group_loads_with_its_members_their_join_time_and_its_last_message()
    {
        var snapshot = await store!.LoadAsync(groupId);

        Assert.NotNull(snapshot.Row);
        Assert.Equal((users[0], 2u, 1u), (snapshot.Row.Creator, snapshot.Row.Type, snapshot.Row.Version));
        Assert.Equal([new GroupMember(users[0], Joined), new GroupMember(users[1], Joined)], snapshot.Members);
        Assert.Equal(2000u, snapshot.LastMsgId);
        Assert.Equal(2000u, snapshot.Latest!.MsgId);
        Assert.Null((await store.LoadAsync(uint.MaxValue - 1)).Row);
    }

    [Fact]
    public async Task Pages_start_at_the_join_time_skip_deleted_messages_and_read_only_the_index()
    {
        var newest = await store!.HistoryAsync(groupId, 0, 3, Joined);
        var middle = await store.HistoryAsync(groupId, 1001, 3, Joined);
        var oldest = await store.HistoryAsync(groupId, 505, 100, Joined);
        var byId = await store.ByIdsAsync(groupId, [10, 1000, 1500], Joined);

        Assert.Equal([2000u, 1999, 1998], newest.Select(m => m.MsgId));
        Assert.Equal([1001u, 999, 998], middle.Select(m => m.MsgId));
        Assert.Equal([505u, 504, 503, 502, 501], oldest.Select(m => m.MsgId)); // message 501 was created at the join time
        Assert.Equal([1500u], byId.Select(m => m.MsgId));

        await using var connection = await dataSource!.OpenConnectionAsync();
        await using var explain = new MySqlCommand("EXPLAIN " + GroupStore.PageQuery(groupId, "msgId <= @begin AND status = 0 AND created >= @since"), connection);
        explain.Parameters.AddWithValue("@g", groupId);
        explain.Parameters.AddWithValue("@begin", 1500);
        explain.Parameters.AddWithValue("@since", Joined);
        explain.Parameters.AddWithValue("@limit", 20);
        await using var reader = await explain.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.DoesNotContain("filesort", reader["Extra"] as string ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unread_counts_messages_after_the_position_from_the_join_time_up_to_the_cap()
    {
        Assert.Equal(1499u, await store!.CountAfterAsync(groupId, 0, Joined, 10_000)); // 501..2000 without 1000
        Assert.Equal(100u, await store.CountAfterAsync(groupId, 1900, Joined, 10_000));
        Assert.Equal(50u, await store.CountAfterAsync(groupId, 0, Joined, 50));
    }

    [Fact]
    public async Task Adding_and_removing_members_moves_rows_positions_version_and_sessions()
    {
        var added = await store!.ChangeMembersAsync(groupId, GroupChangeType.Add, [users[2]], 3, position: 2000, now: Joined + 100);
        await store.TouchSessionsAsync(groupId, users, Joined + 101);
        var removed = await store.ChangeMembersAsync(groupId, GroupChangeType.Remove, [users[1]], 2, position: 0, now: Joined + 102);

        Assert.Equal((2u, 3u), (added, removed));
        var snapshot = await store.LoadAsync(groupId);
        Assert.Equal([new GroupMember(users[0], Joined), new GroupMember(users[2], Joined + 100)], snapshot.Members);
        Assert.Equal(2L, await Db.LongAsync(fixture.ConnectionString, $"SELECT userCnt FROM IMGroup WHERE id = {groupId}"));
        Assert.Equal(Joined + 101, (uint)await Db.LongAsync(fixture.ConnectionString, $"SELECT lastChated FROM IMGroup WHERE id = {groupId}"));
        Assert.Equal(2000L, await Db.LongAsync(fixture.ConnectionString, $"SELECT readMsgId FROM TeamTalkUnread WHERE userId = {users[2]} AND sessionType = 2 AND peerId = {groupId}"));
        Assert.Equal("0,1,0", await Db.StringAsync(fixture.ConnectionString,
            $"SELECT GROUP_CONCAT(status ORDER BY userId) FROM IMRecentSession WHERE peerId = {groupId} AND type = 2"));

        var memberships = await store.MembershipsAsync(users[2]);
        Assert.Equal([new GroupReadPosition(groupId, 2000, true)], memberships);
        Assert.Empty(await store.MembershipsAsync(users[1]));
    }
}
