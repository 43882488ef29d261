using MySqlConnector;
using TeamTalk.Orleans.Data.Groups;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Schema;
using TeamTalk.Orleans.Data.Sessions;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>Group SQL on a real MariaDB: loading a group, member changes, pages from the join time, unread counts and read positions, session touches.</summary>
public sealed class GroupStoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const uint Joined = 1_700_000_500;
    private MySqlDataSource? dataSource;
    private GroupStore? store;
    private MessageStore? messages;
    private SessionStore? sessions;
    private uint groupId;
    private uint[] users = [];

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(fixture.ConnectionString, CancellationToken.None);
        dataSource = new MySqlDataSource(fixture.ConnectionString);
        var database = new Database(dataSource, TimeProvider.System);
        store = new GroupStore(database);
        messages = new MessageStore(database);
        sessions = new SessionStore(database);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<uint>();
        foreach (var n in new[] { "a", "b", "c" })
        {
            await Db.ExecAsync(fixture.ConnectionString,
                $"INSERT INTO IMUser (name, nick, password, salt, departId, status, created, updated) VALUES ('gs-{n}-{suffix}', 'n', '', '', 1, 0, 0, 0)");
            ids.Add((uint)await Db.LongAsync(fixture.ConnectionString, $"SELECT id FROM IMUser WHERE name = 'gs-{n}-{suffix}'"));
        }

        users = [.. ids];
        groupId = await store.CreateAsync(users[0], 2, "group " + suffix, string.Empty, [users[0], users[1]], Joined);

        // 2,000 messages, one per second from 1,700,000,000: the first 500 before the members joined; message 1000 deleted.
        await Db.ExecAsync(fixture.ConnectionString, $"""
            INSERT INTO {MessageTable.ForGroup(groupId).Name} (groupId, userId, msgId, content, type, status, created, updated)
            SELECT {groupId}, {users[1]}, seq, CONCAT('message ', seq), 17, IF(seq = 1000, 1, 0), 1700000000 + seq - 1, 1700000000
            FROM seq_1_to_2000;
            ANALYZE TABLE {MessageTable.ForGroup(groupId).Name};
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
        var tail = await messages!.LoadTailAsync(ConversationKind.Group, groupId);
        Assert.Equal((2000u, 2000u), (tail.LastMsgId, tail.Latest!.MsgId));
        Assert.Null((await store.LoadAsync(uint.MaxValue - 1)).Row);
    }

    [Fact]
    public async Task Pages_start_at_the_join_time_skip_deleted_messages_and_read_only_the_index()
    {
        var newest = await messages!.HistoryAsync(ConversationKind.Group, groupId, 0, 3, Joined);
        var middle = await messages.HistoryAsync(ConversationKind.Group, groupId, 1001, 3, Joined);
        var oldest = await messages.HistoryAsync(ConversationKind.Group, groupId, 505, 100, Joined);
        var byId = await messages.ByIdsAsync(ConversationKind.Group, groupId, [10, 1000, 1500], Joined);

        Assert.Equal([2000u, 1999, 1998], newest.Select(m => m.MsgId));
        Assert.Equal([1001u, 999, 998], middle.Select(m => m.MsgId));
        Assert.Equal([505u, 504, 503, 502, 501], oldest.Select(m => m.MsgId)); // message 501 was created at the join time
        Assert.Equal([1500u], byId.Select(m => m.MsgId));

        await using var connection = await dataSource!.OpenConnectionAsync();
        await using var explain = new MySqlCommand("EXPLAIN " + MessageTable.ForGroup(groupId).Page("status = 0 AND msgId <= @begin AND created >= @since"), connection);
        explain.Parameters.AddWithValue("@c", groupId);
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
        async Task<uint> Count(uint? after, int cap) =>
            (await sessions!.GroupUnreadCountsAsync([new GroupPosition(groupId, Joined, after)], cap)).GetValueOrDefault(groupId);

        Assert.Equal(1499u, await Count(null, 10_000)); // 501..2000 without 1000
        Assert.Equal(100u, await Count(1900, 10_000));
        Assert.Equal(50u, await Count(0, 50));
        Assert.Equal(0u, await Count(2000, 10_000));
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

        Assert.Equal([new GroupPosition(groupId, Joined + 100, 2000)], await sessions!.GroupPositionsAsync(users[2]));
        Assert.Empty(await sessions.GroupPositionsAsync(users[1]));
    }

    [Fact]
    public async Task A_read_position_moves_forward_only_up_to_the_newest_message_and_only_for_members()
    {
        Assert.Equal(1500u, await sessions!.MarkReadAsync(SessionType.Group, groupId, users[0], groupId, 1500, Joined + 1));
        Assert.Equal(2000u, await sessions.MarkReadAsync(SessionType.Group, groupId, users[0], groupId, uint.MaxValue, Joined + 2));
        Assert.Equal(1200u, await sessions.MarkReadAsync(SessionType.Group, groupId, users[0], groupId, 1200, Joined + 3));
        Assert.Null(await sessions.MarkReadAsync(SessionType.Group, groupId, users[2], groupId, 1500, Joined + 4));

        Assert.Equal(2000L, await Db.LongAsync(fixture.ConnectionString, $"SELECT readMsgId FROM TeamTalkUnread WHERE userId = {users[0]} AND sessionType = 2 AND peerId = {groupId}"));
        Assert.Equal(0L, await Db.LongAsync(fixture.ConnectionString, $"SELECT COUNT(*) FROM TeamTalkUnread WHERE userId = {users[2]} AND sessionType = 2 AND peerId = {groupId}"));
    }

    [Fact]
    public async Task Unread_totals_of_several_users_are_the_sums_their_unread_lists_show()
    {
        // users[0]: read the group to 1900 (100 unread), 5 from users[1] (related); users[1]: the group from its
        // creation (1,499: 501..2000 without 1000), 4 from users[2] (no relation: not listed); users[2]: not a member,
        // 3 from users[0] (related).
        await sessions!.MarkReadAsync(SessionType.Group, groupId, users[0], groupId, 1900, Joined + 1);
        await Db.ExecAsync(fixture.ConnectionString, $"""
            INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) VALUES
                ({Math.Min(users[0], users[1])}, {Math.Max(users[0], users[1])}, 0, 1, 1),
                ({Math.Min(users[0], users[2])}, {Math.Max(users[0], users[2])}, 0, 1, 1);
            INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES
                ({users[0]}, 1, {users[1]}, 5, 0, 1), ({users[1]}, 1, {users[2]}, 4, 0, 1), ({users[2]}, 1, {users[0]}, 3, 0, 1);
            """);

        var totals = await sessions.UnreadTotalsAsync(users, 10_000);
        var capped = await sessions.UnreadTotalsAsync(users, 50);

        Assert.Equal([105u, 1499, 3], users.Select(u => totals.GetValueOrDefault(u)));
        Assert.Equal([55u, 50, 3], users.Select(u => capped.GetValueOrDefault(u)));
        foreach (var user in users)
        {
            var singles = await sessions.SingleUnreadAsync(user);
            var groups = await sessions.GroupUnreadCountsAsync(await sessions.GroupPositionsAsync(user), 10_000);
            Assert.Equal(singles.Where(s => s.RelateId != 0).Sum(s => (long)s.Count) + groups.Values.Sum(c => (long)c), totals.GetValueOrDefault(user));
        }
    }

    [Fact]
    public async Task Unread_totals_look_at_the_newest_1000_unread_sessions_and_groups_as_the_lists_do()
    {
        // users[2]: 1,100 unread 1:1 sessions (peer n: n messages, changed at n), the newest 1,000 listed. users[1]:
        // 1,000 (empty) groups joined after the real one, which falls off its list. users[0]: the real group, read to
        // 1900; with users[1]'s, 1,001 memberships to count (two statements).
        const uint Peers = 3_000_000_000;
        await sessions!.MarkReadAsync(SessionType.Group, groupId, users[0], groupId, 1900, Joined + 1);
        await Db.ExecAsync(fixture.ConnectionString, $"""
            INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) SELECT {users[2]}, {Peers} + seq, 0, 1, 1 FROM seq_1_to_1100;
            INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) SELECT {users[2]}, 1, {Peers} + seq, seq, 0, seq FROM seq_1_to_1100;
            INSERT INTO IMGroupMember (groupId, userId, status, created, updated) SELECT {Peers} + seq, {users[1]}, 0, {Joined} + seq, {Joined} + seq FROM seq_1_to_1000;
            """);

        var totals = await sessions.UnreadTotalsAsync(users, 10_000);

        Assert.Equal([100u, 0, (uint)Enumerable.Range(101, 1000).Sum()], users.Select(u => totals.GetValueOrDefault(u)));
        foreach (var user in users)
        {
            var singles = await sessions.SingleUnreadAsync(user);
            var groups = await sessions.GroupUnreadCountsAsync(await sessions.GroupPositionsAsync(user), 10_000);
            Assert.Equal(singles.Where(s => s.RelateId != 0).Sum(s => (long)s.Count) + groups.Values.Sum(c => (long)c), totals.GetValueOrDefault(user));
        }
    }
}
