using MySqlConnector;
using StackExchange.Redis;
using ClientType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.ClientType;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// <c>Admin import-redis</c> against a real redis-server filled as the original TeamTalk fills it (behaviour.md 3.1.2),
/// then what clients see over TCP from the cluster started afterwards.
/// </summary>
public sealed class RedisImportTests : IAsyncLifetime
{
    private const int RedisDb = 1; // the original's default configuration
    private PrivateServer redis = null!;
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        redis = await PrivateServer.StartRedisAsync();
        cluster = await TestCluster.CreateAsync(production: true);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task What_the_original_kept_in_Redis_is_what_clients_see_after_import_redis_and_a_second_run_changes_nothing()
    {
        var db = cluster.Database;
        var (alice, bob, carol, dave, erin) = (await db.UserIdAsync("alice"), await db.UserIdAsync("bob"), await db.UserIdAsync("carol"), await db.UserIdAsync("dave"), await db.UserIdAsync("erin"));
        var t0 = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;

        // MySQL as the original left it: a pair with 5 messages (bob 1, 2, 3, 5; alice 4); a normal group whose
        // IMGroupMember rows list alice, bob and carol, with 6 messages.
        var relation = await InsertAsync("INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) VALUES (@a, @b, 0, @t, @t)",
            ("@a", Math.Min(alice, bob)), ("@b", Math.Max(alice, bob)), ("@t", t0));
        uint[] senders = [bob, bob, bob, alice, bob];
        for (var i = 0; i < senders.Length; i++)
        {
            await InsertAsync($"INSERT INTO IMMessage_{relation % 8} (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES (@r, @f, @to, @m, @c, 1, 0, @t, @t)",
                ("@r", relation), ("@f", senders[i]), ("@to", senders[i] == bob ? alice : bob), ("@m", i + 1), ("@c", $"pair {i + 1}"), ("@t", t0 + 10 + i));
        }

        var group = await InsertAsync("INSERT INTO IMGroup (name, avatar, creator, type, userCnt, status, version, lastChated, updated, created) VALUES ('imported', '', @a, 1, 3, 0, 1, 0, @t, @t)",
            ("@a", alice), ("@t", t0));
        foreach (var member in new[] { alice, bob, carol })
        {
            await InsertAsync("INSERT INTO IMGroupMember (groupId, userId, status, created, updated) VALUES (@g, @u, 0, @t, @t)", ("@g", group), ("@u", member), ("@t", t0));
        }

        for (var i = 1; i <= 6; i++)
        {
            await InsertAsync($"INSERT INTO IMGroupMessage_{group % 8} (groupId, userId, msgId, content, type, status, created, updated) VALUES (@g, @u, @m, @c, 17, 0, @t, @t)",
                ("@g", group), ("@u", i % 2 == 0 ? alice : bob), ("@m", i), ("@c", $"group {i}"), ("@t", t0 + 20 + i));
        }

        // Redis as the original wrote it: alice has 2 unread from bob; the group's members are alice, bob and dave (dave
        // only here; carol left as far as Redis knows); alice read everything, dave 2 of 6; dave muted the group; dave's
        // and erin's phones registered their tokens.
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var r = connection.GetDatabase(RedisDb);
            await r.HashSetAsync($"unread_{alice}", [new HashEntry(bob.ToString(Inv), "2")]);
            await r.HashSetAsync($"group_member_{group}", [new HashEntry(alice.ToString(Inv), t0.ToString(Inv)), new HashEntry(bob.ToString(Inv), t0.ToString(Inv)), new HashEntry(dave.ToString(Inv), (t0 + 1).ToString(Inv))]);
            await r.HashSetAsync($"{group}_im_group_msg", "count", "6");
            await r.HashSetAsync($"{alice}_{group}_im_user_group", "count", "6");
            await r.HashSetAsync($"{dave}_{group}_im_user_group", "count", "2");
            await r.HashSetAsync($"group_set_{group}", $"{dave}_1", "1");
            await r.StringSetAsync($"device_{dave}", "ios:dave-phone-token");
            await r.StringSetAsync("device_dave-phone-token", dave.ToString(Inv));
            await r.StringSetAsync($"device_{erin}", "android:erin-phone-token");
            await r.StringSetAsync("device_erin-phone-token", erin.ToString(Inv));
            await r.StringSetAsync("msg_id_1", "5"); // counters we do not need: ignored
        }

        var first = await ImportAsync();
        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Contains($"group {group} user {dave}: a member in Redis only (joined {t0 + 1}): added", first.Output, StringComparison.Ordinal);
        Assert.Contains($"group {group} user {carol}: a member in IMGroupMember only: marked left", first.Output, StringComparison.Ordinal);
        // members 2 (dave added, carol left), unread 1, group reads 2, tokens 2, group shields 1
        Assert.Contains("import-redis: 8 changes", first.Output, StringComparison.Ordinal);

        var second = await ImportAsync();
        Assert.True(second.ExitCode == 0, second.Output + second.Errors);
        Assert.Contains("import-redis: 0 changes", second.Output, StringComparison.Ordinal);

        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
        var refused = await ImportAsync();
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused: the cluster is up", refused.Errors, StringComparison.Ordinal);

        await using var daveClient = await Clients.LoginAsync(cluster.Gateways[0], "dave", ClientType.Android);
        var unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(daveClient, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        var groupUnread = Assert.Single(unread.UnreadinfoList);
        Assert.Equal((group, SessionType.Group, 4u, 6u), (groupUnread.SessionId, groupUnread.SessionType, groupUnread.UnreadCnt, groupUnread.LatestMsgId));
        var list = await Chat.RequestAsync<IMNormalGroupListRsp>(daveClient, CommandKeys.GroupNormalListRequest, new IMNormalGroupListReq { UserId = 0 }, CommandKeys.GroupNormalListResponse);
        Assert.Equal([(group, 2u)], list.GroupVersionList.Select(g => (g.GroupId, g.Version)));
        var info = await Chat.RequestAsync<IMGroupInfoListRsp>(daveClient, CommandKeys.GroupInfoRequest,
            new IMGroupInfoListReq { UserId = 0, GroupVersionList = { new GroupVersionInfo { GroupId = group, Version = 0 } } }, CommandKeys.GroupInfoResponse);
        var entry = Assert.Single(info.GroupInfoList);
        Assert.Equal(1u, entry.ShieldStatus);
        Assert.Equal(new[] { alice, bob, dave }.Order(), entry.GroupMemberList.Order());

        await using var aliceClient = await Clients.LoginAsync(cluster.Gateways[0], "alice", ClientType.Windows);
        unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(aliceClient, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        var pairUnread = Assert.Single(unread.UnreadinfoList);
        Assert.Equal((bob, SessionType.Single, 2u, 5u), (pairUnread.SessionId, pairUnread.SessionType, pairUnread.UnreadCnt, pairUnread.LatestMsgId));

        await using var carolClient = await Clients.LoginAsync(cluster.Gateways[0], "carol", ClientType.Windows);
        list = await Chat.RequestAsync<IMNormalGroupListRsp>(carolClient, CommandKeys.GroupNormalListRequest, new IMNormalGroupListReq { UserId = 0 }, CommandKeys.GroupNormalListResponse);
        Assert.Empty(list.GroupVersionList);

        Assert.Equal($"{dave}:17,{erin}:18", await TokensAsync());

        // Stopped (not killed), the cluster leaves no live silo behind: the import runs again, and finds nothing to change.
        foreach (var handle in cluster.Gateways)
        {
            await handle.Process.StopAsync(TimeSpan.FromSeconds(30));
        }

        foreach (var handle in cluster.Silos)
        {
            await handle.Process.StopAsync(TimeSpan.FromSeconds(30));
        }

        var afterStop = await ImportAsync();
        Assert.True(afterStop.ExitCode == 0, afterStop.Output + afterStop.Errors);
        Assert.Contains("import-redis: 0 changes", afterStop.Output, StringComparison.Ordinal);
    }

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    private Task<AdminRun> ImportAsync() =>
        AdminTool.RunAsync("import-redis", "--db", cluster.Database.ConnectionString, "--redis", redis.ConnectionString);

    private async Task<uint> InsertAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new MySqlConnection(cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
        return (uint)command.LastInsertedId;
    }

    private async Task<string> TokensAsync()
    {
        await using var connection = new MySqlConnection(cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT GROUP_CONCAT(CONCAT(userId, ':', clientType) ORDER BY userId SEPARATOR ',') FROM TeamTalkDeviceToken WHERE token IN ('dave-phone-token', 'erin-phone-token')", connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), Inv)!;
    }
}
