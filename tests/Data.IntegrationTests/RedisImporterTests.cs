using MySqlConnector;
using TeamTalk.Orleans.Data.Import;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>The Redis import's translations and disagreements on a real MariaDB (the Redis side is a snapshot).</summary>
public sealed class RedisImporterTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Redis_is_followed_where_the_tables_disagree_each_difference_is_reported_and_a_second_run_changes_nothing()
    {
        var cs = await NewDatabaseAsync();
        var u = new uint[4];
        for (var i = 0; i < u.Length; i++)
        {
            u[i] = (uint)await InsertAsync(cs, $"INSERT INTO IMUser (name, nick, password, salt, departId, status, created, updated) VALUES ('ri{i}', 'n', '', '', 1, 0, 0, 0)");
        }

        // u0 and u1: messages 1..6, u1 sent 1, 2, 4, 6 and u0 sent 3, 5.
        await RelationAsync(cs, u[0], u[1], [u[1], u[1], u[0], u[1], u[0], u[1]]);
        // u2 and u3: two messages of u3; our table says u2 has 5 unread from u3, Redis has no counter (read).
        await RelationAsync(cs, u[2], u[3], [u[3], u[3]]);
        await Db.ExecAsync(cs, $"INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES ({u[2]}, 1, {u[3]}, 5, 0, 1)");
        // A group of u0 and u1, both joined at 100 in IMGroupMember; Redis says u1 joined at 200. Five messages after that.
        var group = (uint)await InsertAsync(cs, $"INSERT INTO IMGroup (name, avatar, creator, type, userCnt, status, version, lastChated, updated, created) VALUES ('g', '', {u[0]}, 1, 2, 0, 1, 0, 1, 1)");
        await Db.ExecAsync(cs, $"INSERT INTO IMGroupMember (groupId, userId, status, created, updated) VALUES ({group}, {u[0]}, 0, 100, 100), ({group}, {u[1]}, 0, 100, 100)");
        await Db.ExecAsync(cs, $"INSERT INTO {MessageTable.ForGroup(group).Name} (groupId, userId, msgId, content, type, status, created, updated) SELECT {group}, {u[0]}, seq, 'm', 17, 0, 299 + seq, 0 FROM seq_1_to_5");
        // u3's token in our table; Redis gives it to u2. u0 muted the group in our table; Redis says not muted.
        await Db.ExecAsync(cs, $"INSERT INTO TeamTalkDeviceToken (token, userId, clientType, updated) VALUES ('tok-x', {u[3]}, 17, 1)");
        await Db.ExecAsync(cs, $"INSERT INTO TeamTalkGroupShield (groupId, userId, shieldStatus, updated) VALUES ({group}, {u[0]}, 1, 1)");

        var snapshot = new RedisSnapshot(
            [new ImportedMembers(group, new Dictionary<uint, uint> { [u[0]] = 100, [u[1]] = 200 })],
            [new ImportedUnread(u[0], u[1], 3)],
            [new ImportedGroupRead(u[1], group, 3, 5)],
            [new ImportedToken(u[2], "tok-x", 0x12, u[2])],
            [new ImportedShield(group, u[0], 0)],
            ["bad_key: not understood"]);
        await using var dataSource = new MySqlDataSource(cs);
        var importer = new RedisImporter(new Database(dataSource, TimeProvider.System), TimeProvider.System);

        var report = await importer.ImportAsync(snapshot, CancellationToken.None);

        Assert.Equal(6, report.Changes); // members 1, unread 2 (u0's counter, u2's stale row), group reads 1, tokens 1, shields 1
        Assert.Contains($"members: group {group} user {u[1]}: joined 100 in IMGroupMember, 200 in Redis: Redis kept", report.Disagreements);
        Assert.Contains($"unread: user {u[2]} peer {u[3]}: unread in TeamTalkUnread, none in Redis: marked read", report.Disagreements);
        Assert.Contains($"tokens: user {u[2]}: the token was user {u[3]}'s (client type 17) in TeamTalkDeviceToken: Redis kept", report.Disagreements);
        Assert.Contains($"group shields: group {group} user {u[0]}: 1 in TeamTalkGroupShield, 0 in Redis: Redis kept", report.Disagreements);
        Assert.Contains("redis keys: bad_key: not understood", report.Skips);

        // u1's 3 newest messages to u0 are 6, 4 and 2: read up to 1, whatever u0 sent in between.
        Assert.Equal("3 1", await Db.StringAsync(cs, $"SELECT CONCAT(unreadCount, ' ', readMsgId) FROM TeamTalkUnread WHERE userId = {u[0]} AND sessionType = 1 AND peerId = {u[1]}"));
        Assert.Equal("0 2", await Db.StringAsync(cs, $"SELECT CONCAT(unreadCount, ' ', readMsgId) FROM TeamTalkUnread WHERE userId = {u[2]} AND sessionType = 1 AND peerId = {u[3]}"));
        // 5 − 3 = 2 unread group messages: 5 and 4, so read up to 3.
        Assert.Equal(3, await Db.LongAsync(cs, $"SELECT readMsgId FROM TeamTalkUnread WHERE userId = {u[1]} AND sessionType = 2 AND peerId = {group}"));
        Assert.Equal(200, await Db.LongAsync(cs, $"SELECT MAX(updated) FROM IMGroupMember WHERE groupId = {group} AND userId = {u[1]} AND status = 0"));
        Assert.Equal("2 2", await Db.StringAsync(cs, $"SELECT CONCAT(version, ' ', userCnt) FROM IMGroup WHERE id = {group}"));
        Assert.Equal($"{u[2]} 18", await Db.StringAsync(cs, "SELECT CONCAT(userId, ' ', clientType) FROM TeamTalkDeviceToken WHERE token = 'tok-x'"));
        Assert.Equal(0, await Db.LongAsync(cs, $"SELECT shieldStatus FROM TeamTalkGroupShield WHERE groupId = {group} AND userId = {u[0]}"));

        var again = await importer.ImportAsync(snapshot, CancellationToken.None);
        Assert.Equal(0, again.Changes);
        Assert.Empty(again.Disagreements);
    }

    [Fact]
    public async Task Members_only_Redis_knows_are_added_and_members_only_MySQL_knows_are_marked_left()
    {
        var cs = await NewDatabaseAsync();
        var u = new uint[3];
        for (var i = 0; i < u.Length; i++)
        {
            u[i] = (uint)await InsertAsync(cs, $"INSERT INTO IMUser (name, nick, password, salt, departId, status, created, updated) VALUES ('rm{i}', 'n', '', '', 1, 0, 0, 0)");
        }

        var group = (uint)await InsertAsync(cs, $"INSERT INTO IMGroup (name, avatar, creator, type, userCnt, status, version, lastChated, updated, created) VALUES ('g', '', {u[0]}, 2, 2, 0, 3, 0, 1, 1)");
        // u1 left once (an old row), u2 is a member in MySQL only; a second group has rows but no Redis key.
        await Db.ExecAsync(cs, $"INSERT INTO IMGroupMember (groupId, userId, status, created, updated) VALUES ({group}, {u[0]}, 0, 10, 10), ({group}, {u[1]}, 1, 10, 20), ({group}, {u[2]}, 0, 10, 10), ({group + 1}, {u[0]}, 0, 10, 10)");
        var snapshot = new RedisSnapshot([new ImportedMembers(group, new Dictionary<uint, uint> { [u[0]] = 10, [u[1]] = 30, [4_000_000_000] = 30 })], [], [], [], [], []);
        await using var dataSource = new MySqlDataSource(cs);
        var importer = new RedisImporter(new Database(dataSource, TimeProvider.System), TimeProvider.System);

        var report = await importer.ImportAsync(snapshot, CancellationToken.None);

        Assert.Equal(2, report.Changes);
        Assert.Equal((2, 1, 1), report.Counts["members"]);
        Assert.Contains($"members: group {group}: member 4000000000 is no IMUser row", report.Skips);
        Assert.Contains($"members: group {group + 1}: members in IMGroupMember but no group_member_{group + 1} in Redis: left as they are", report.Disagreements);
        Assert.Equal(
            [$"{u[0]}|0|10", $"{u[1]}|0|30", $"{u[2]}|1|NULL"],
            await Db.RowsAsync(cs, $"SELECT userId, status, IF(status = 0, updated, NULL) FROM IMGroupMember WHERE groupId = {group} ORDER BY userId"));
        Assert.Equal("4 2", await Db.StringAsync(cs, $"SELECT CONCAT(version, ' ', userCnt) FROM IMGroup WHERE id = {group}"));
        Assert.Equal(0, (await importer.ImportAsync(snapshot, CancellationToken.None)).Changes);
    }

    [Fact]
    public async Task Live_silos_are_those_active_with_a_recent_IAmAlive_time()
    {
        var cs = await NewDatabaseAsync();
        await Db.ExecAsync(cs, """
            INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES ('up'), ('gone');
            INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, StartTime, IAmAliveTime)
            VALUES ('up', '10.0.0.1', 11111, 1, 's', 'h', 3, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
                   ('up', '10.0.0.2', 11111, 1, 's', 'h', 6, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
                   ('gone', '10.0.0.3', 11111, 1, 's', 'h', 3, UTC_TIMESTAMP(3) - INTERVAL 1 HOUR, UTC_TIMESTAMP(3) - INTERVAL 1 HOUR);
            """);
        await using var dataSource = new MySqlDataSource(cs);
        var importer = new RedisImporter(new Database(dataSource, TimeProvider.System), TimeProvider.System);

        var live = await importer.LiveSilosAsync(CancellationToken.None);

        Assert.StartsWith("cluster up silo 10.0.0.1:11111 ", Assert.Single(live), StringComparison.Ordinal);
    }

    private async Task<string> NewDatabaseAsync()
    {
        var cs = TestServer.ConnectionStringFor(fixture.NewDatabase());
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(cs, CancellationToken.None);
        return cs;
    }

    private static async Task RelationAsync(string cs, uint a, uint b, uint[] senders)
    {
        var relation = (uint)await InsertAsync(cs, $"INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) VALUES ({Math.Min(a, b)}, {Math.Max(a, b)}, 0, 1, 1)");
        for (var i = 0; i < senders.Length; i++)
        {
            await Db.ExecAsync(cs, $"INSERT INTO {MessageTable.ForRelation(relation).Name} (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES ({relation}, {senders[i]}, {(senders[i] == a ? b : a)}, {i + 1}, 'm', 1, 0, {i + 1}, 0)");
        }
    }

    private static async Task<long> InsertAsync(string cs, string sql)
    {
        await using var connection = await Db.OpenAsync(cs);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
        return command.LastInsertedId;
    }
}
