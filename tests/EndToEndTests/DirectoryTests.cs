using System.Globalization;
using MySqlConnector;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.Protocol.Messages.SwitchService;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// One silo and two gateways (development profile) with long idle timeouts, shared by the directory and presence
/// tests. Each test seeds users of its own (unique names), so the tests do not depend on each other.
/// </summary>
public sealed class DirectoryClusterFixture : IAsyncLifetime
{
    private int nextName;

    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle G0 => Cluster.Gateways[0];

    internal GatewayHandle G1 => Cluster.Gateways[1];

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Seeds users with fresh names built from <paramref name="roles"/>; returns (name, id) in order.</summary>
    internal async Task<(string Name, uint Id)[]> SeedAsync(params string[] roles)
    {
        var names = roles.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r}{Interlocked.Increment(ref nextName)}")).ToArray();
        var ids = await Cluster.Database.SeedUsersAsync(names);
        return [.. names.Zip(ids)];
    }

    /// <summary>Runs a statement on the cluster's database, as an administrator editing MySQL directly would.</summary>
    internal async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new MySqlConnection(Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A single number read from the cluster's database.</summary>
    internal async Task<uint> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new MySqlConnection(Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToUInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name)]
public sealed class DirectoryClusterCollection : ICollectionFixture<DirectoryClusterFixture>
{
    public const string Name = "directory cluster";
}

/// <summary>User info, all users and departments (incremental, edits made directly in MySQL), users status, P2P relay, time.</summary>
[Collection(DirectoryClusterCollection.Name)]
public sealed class DirectoryTests(DirectoryClusterFixture fixture)
{
    private const uint OldTime = 1_600_000_000;
    private const uint UnknownUser = 4_000_000_000;

    [Fact]
    public async Task All_users_with_0_then_only_the_users_changed_by_an_update_made_directly_in_MySQL()
    {
        var users = await fixture.SeedAsync("all", "all", "all", "all", "allgone");
        for (var i = 0; i < users.Length; i++)
        {
            await fixture.ExecuteAsync("UPDATE IMUser SET updated = @t WHERE id = @id", ("@t", OldTime + (uint)i), ("@id", users[i].Id));
        }

        await fixture.ExecuteAsync("UPDATE IMUser SET status = 3 WHERE id = @id", ("@id", users[4].Id)); // left the company
        await using var client = await Clients.LoginAsync(fixture.G0, users[0].Name, ClientType.Android);

        var all = await AllUsersAsync(client, 0);
        Assert.Equal(users[0].Id, all.UserId);
        var listed = all.UserList.ToDictionary(u => u.UserId);
        Assert.Equal(await fixture.ScalarAsync("SELECT COUNT(*) FROM IMUser WHERE COALESCE(status, 0) <> 3"), (uint)all.UserList.Count);
        Assert.Equal(all.UserList.Count, listed.Count);
        foreach (var (name, id) in users[..4])
        {
            var user = listed[id];
            Assert.Equal((name, name.ToUpperInvariant(), name + "@example.org", name, 1u, 2u, 0u, string.Empty),
                (user.UserRealName, user.UserNickName, user.Email, user.UserDomain, user.DepartmentId, user.UserGender, user.Status, user.SignInfo));
            Assert.True(user.HasAvatarUrl && user.HasUserTel, "required fields are on the wire");
        }

        Assert.False(listed.ContainsKey(users[4].Id), "a user who left is not in the full list");
        Assert.Equal(await fixture.ScalarAsync("SELECT MAX(updated) FROM IMUser WHERE COALESCE(status, 0) <> 3"), all.LatestUpdateTime);

        // The PHP admin (or anyone) edits MySQL directly: the next incremental sync sees it (defect 24).
        await fixture.ExecuteAsync("UPDATE IMUser SET nick = 'Renamed', updated = UNIX_TIMESTAMP() WHERE id = @id", ("@id", users[1].Id));
        await fixture.ExecuteAsync("UPDATE IMUser SET updated = UNIX_TIMESTAMP() WHERE id = @id", ("@id", users[4].Id));
        var changed = await AllUsersAsync(client, all.LatestUpdateTime);
        var byId = changed.UserList.ToDictionary(u => u.UserId);
        Assert.Equal("Renamed", byId[users[1].Id].UserNickName);
        Assert.Equal(3u, byId[users[4].Id].Status); // departures are sent with their real status
        Assert.DoesNotContain(users[0].Id, byId.Keys);
        Assert.DoesNotContain(users[2].Id, byId.Keys);
        Assert.DoesNotContain(users[3].Id, byId.Keys);
        Assert.Equal(
            await fixture.ScalarAsync("SELECT COUNT(*) FROM IMUser WHERE updated >= @t", ("@t", all.LatestUpdateTime)),
            (uint)changed.UserList.Count);
        Assert.Equal(
            await fixture.ScalarAsync("SELECT MAX(updated) FROM IMUser WHERE updated >= @t", ("@t", all.LatestUpdateTime)),
            changed.LatestUpdateTime);
        Assert.True(changed.LatestUpdateTime >= await fixture.ScalarAsync("SELECT updated FROM IMUser WHERE id = @id", ("@id", users[1].Id)));

        var future = changed.LatestUpdateTime + 100_000;
        var none = await AllUsersAsync(client, future);
        Assert.Empty(none.UserList);
        Assert.Equal(future, none.LatestUpdateTime);
    }

    [Fact]
    public async Task Departments_with_0_then_only_the_departments_changed_by_an_update_made_directly_in_MySQL()
    {
        var user = (await fixture.SeedAsync("dept"))[0].Name;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = await InsertDepartmentAsync($"A-{tag}", priority: 1, parent: 0, status: 0, updated: OldTime + 1);
        var b = await InsertDepartmentAsync($"B-{tag}", priority: 2, parent: a, status: 0, updated: OldTime + 2);
        var c = await InsertDepartmentAsync($"C-{tag}", priority: 3, parent: a, status: 1, updated: OldTime + 3);
        var d = await InsertDepartmentAsync($"D-{tag}", priority: 4, parent: a, status: 2, updated: OldTime + 4);
        await using var client = await Clients.LoginAsync(fixture.G1, user, ClientType.Windows);

        var all = await DepartmentsAsync(client, 0);
        var byId = all.DeptList.ToDictionary(x => x.DeptId);
        Assert.Equal((1u, $"A-{tag}", 0u, DepartmentStatusType.DeptStatusOk), Fields(byId[a]));
        Assert.Equal((2u, $"B-{tag}", a, DepartmentStatusType.DeptStatusOk), Fields(byId[b]));
        Assert.Equal((3u, $"C-{tag}", a, DepartmentStatusType.DeptStatusDelete), Fields(byId[c]));
        Assert.DoesNotContain(d, byId.Keys); // a status other than 0/1 is skipped
        Assert.Equal(await fixture.ScalarAsync("SELECT MAX(updated) FROM IMDepart WHERE status IN (0, 1)"), all.LatestUpdateTime);

        await fixture.ExecuteAsync("UPDATE IMDepart SET departName = @name, updated = UNIX_TIMESTAMP() WHERE id = @id", ("@name", $"B2-{tag}"), ("@id", b));
        var bUpdated = await fixture.ScalarAsync("SELECT updated FROM IMDepart WHERE id = @id", ("@id", b));
        var changed = await DepartmentsAsync(client, all.LatestUpdateTime);
        var renamed = Assert.Single(changed.DeptList);
        Assert.Equal((2u, $"B2-{tag}", a, DepartmentStatusType.DeptStatusOk), Fields(renamed));
        Assert.InRange(changed.LatestUpdateTime, bUpdated - 1, bUpdated); // the current second is never handed out

        // Once the database's clock (the one the cap uses) left B's second, asking with what it got: B at most once more, then nothing.
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), async () =>
            await fixture.ScalarAsync("SELECT UNIX_TIMESTAMP() > @b", ("@b", bUpdated)) == 1, "the database's clock past B's update");
        var again = await DepartmentsAsync(client, changed.LatestUpdateTime);
        Assert.All(again.DeptList, x => Assert.Equal(b, x.DeptId));
        Assert.Equal(bUpdated, again.LatestUpdateTime);
        var nothing = await DepartmentsAsync(client, again.LatestUpdateTime);
        Assert.Empty(nothing.DeptList);
        Assert.Equal(again.LatestUpdateTime, nothing.LatestUpdateTime);
    }

    [Fact]
    public async Task User_info_returns_the_requested_users_that_exist_with_their_real_status_ordered_by_id()
    {
        var users = await fixture.SeedAsync("info", "infogone");
        await fixture.ExecuteAsync("UPDATE IMUser SET status = 3, sign_info = 'bye' WHERE id = @id", ("@id", users[1].Id));
        await using var client = await Clients.LoginAsync(fixture.G0, users[0].Name, ClientType.Mac);

        var request = new IMUsersInfoReq { UserId = 12345 };
        request.UserIdList.AddRange([users[1].Id, UnknownUser, users[0].Id, users[0].Id]);
        var info = await Chat.RequestAsync<IMUsersInfoRsp>(client, CommandKeys.UserInfoRequest, request, CommandKeys.UserInfoResponse);
        Assert.Equal(users[0].Id, info.UserId); // self, whatever the client claimed
        Assert.Equal([users[0].Id, users[1].Id], info.UserInfoList.Select(u => u.UserId));
        Assert.Equal((users[0].Name, users[0].Name.ToUpperInvariant(), 0u, 2u), (info.UserInfoList[0].UserRealName, info.UserInfoList[0].UserNickName, info.UserInfoList[0].Status, info.UserInfoList[0].UserGender));
        Assert.Equal((3u, "bye"), (info.UserInfoList[1].Status, info.UserInfoList[1].SignInfo));

        var empty = await Chat.RequestAsync<IMUsersInfoRsp>(client, CommandKeys.UserInfoRequest, new IMUsersInfoReq { UserId = 0 }, CommandKeys.UserInfoResponse);
        Assert.Equal(users[0].Id, empty.UserId);
        Assert.Empty(empty.UserInfoList);
    }

    [Fact]
    public async Task Users_status_is_online_only_for_users_with_a_pc_connection_on_any_gateway()
    {
        var users = await fixture.SeedAsync("stpc", "stmob", "stboth", "stoff", "stask");
        var (pc, mobile, both, offline, asker) = (users[0], users[1], users[2], users[3], users[4]);
        var pcClient = await Clients.LoginAsync(fixture.G1, pc.Name, ClientType.Windows);
        await using var mobileClient = await Clients.LoginAsync(fixture.G0, mobile.Name, ClientType.Android);
        await using var bothPc = await Clients.LoginAsync(fixture.G0, both.Name, ClientType.Mac);
        await using var bothPhone = await Clients.LoginAsync(fixture.G1, both.Name, ClientType.Ios);
        await using var askerClient = await Clients.LoginAsync(fixture.G0, asker.Name, ClientType.Android);

        uint[] asked = [offline.Id, pc.Id, mobile.Id, both.Id, pc.Id, UnknownUser];
        var status = await UsersStatusAsync(askerClient, asked);
        Assert.Equal(asker.Id, status.UserId);
        Assert.Equal(asked, status.UserStatList.Select(s => s.UserId));
        Assert.Equal(
            [UserStatType.UserStatusOffline, UserStatType.UserStatusOnline, UserStatType.UserStatusOffline, UserStatType.UserStatusOnline, UserStatType.UserStatusOnline, UserStatType.UserStatusOffline],
            status.UserStatList.Select(s => s.Status));

        await pcClient.DisposeAsync();
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), async () =>
            (await UsersStatusAsync(askerClient, [pc.Id])).UserStatList.Single().Status == UserStatType.UserStatusOffline,
            "the PC user reported offline after the PC left");

        var none = await UsersStatusAsync(askerClient, []);
        Assert.Empty(none.UserStatList);
    }

    [Fact]
    public async Task P2P_command_reaches_every_connection_of_the_receiver_and_the_senders_other_one_as_from_the_sender_with_seq_0()
    {
        var users = await fixture.SeedAsync("p2pa", "p2pb", "p2pc");
        var (a, b, c) = (users[0], users[1], users[2]);
        await using var aPc = await Clients.LoginAsync(fixture.G0, a.Name, ClientType.Windows);
        await using var aPhone = await Clients.LoginAsync(fixture.G1, a.Name, ClientType.Android);
        await using var bPc = await Clients.LoginAsync(fixture.G1, b.Name, ClientType.Mac);
        await using var bPhone = await Clients.LoginAsync(fixture.G0, b.Name, ClientType.Ios);

        const string Typing = "{\"cmd_id\":1,\"content\":\"typing\",\"service_id\":1}";
        var seq = await aPc.SendAsync(CommandKeys.P2PCommand, new IMP2PCmdMsg { FromUserId = c.Id, ToUserId = b.Id, CmdMsgData = Typing });
        Assert.NotEqual(0, seq);
        foreach (var receiver in new[] { bPc, bPhone, aPhone })
        {
            var frame = await receiver.ReceiveAsync(CommandKeys.P2PCommand, Clients.Reply);
            Assert.NotNull(frame);
            Assert.Equal(0, frame.Header.SeqNum);
            var relayed = frame.Parse<IMP2PCmdMsg>();
            Assert.Equal((a.Id, b.Id, Typing), (relayed.FromUserId, relayed.ToUserId, relayed.CmdMsgData)); // not the claimed sender
        }

        // The handler relays before the connection's next frame is handled: a round trip on the sender marks the end.
        await Markers.AssertNoneBeforeRoundTripAsync(aPc, Markers.Command(CommandKeys.P2PCommand), "the P2P command");

        // To nobody: rejected (logged), nothing relayed, the connection still served.
        await aPc.SendAsync(CommandKeys.P2PCommand, new IMP2PCmdMsg { FromUserId = a.Id, ToUserId = UnknownUser, CmdMsgData = Typing });
        await aPc.SendAsync(CommandKeys.P2PCommand, new IMP2PCmdMsg { FromUserId = a.Id, ToUserId = a.Id, CmdMsgData = Typing });
        var time = await Chat.RequestAsync<IMClientTimeRsp>(aPc, CommandKeys.TimeRequest, new IMClientTimeReq(), CommandKeys.TimeResponse);
        Assert.True(time.ServerTime > 0);

        // That reply came after the P2P commands were handled (relays included), so a round trip on each other
        // connection comes after anything they relayed there.
        foreach (var other in new[] { aPhone, bPc, bPhone })
        {
            await Markers.AssertNoneBeforeRoundTripAsync(other, Markers.Command(CommandKeys.P2PCommand), "the P2P commands");
        }
    }

    [Fact]
    public async Task Time_request_answers_the_server_time_with_the_seq_echoed()
    {
        var name = (await fixture.SeedAsync("time"))[0].Name;
        await using var client = await Clients.LoginAsync(fixture.G1, name, ClientType.Ios);
        var before = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var seq = await client.SendAsync(CommandKeys.TimeRequest, new IMClientTimeReq(), seq: 0x7777);
        var reply = await client.ReceiveAsync(CommandKeys.TimeResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal((ushort)0x7777, seq);
        Assert.Equal((ushort)0x7777, reply.Header.SeqNum);
        Assert.InRange(reply.Parse<IMClientTimeRsp>().ServerTime, before - 5, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
    }

    private static Task<IMAllUserRsp> AllUsersAsync(TeamTalkClient client, uint since) =>
        Chat.RequestAsync<IMAllUserRsp>(client, CommandKeys.AllUserRequest, new IMAllUserReq { UserId = 0, LatestUpdateTime = since }, CommandKeys.AllUserResponse);

    private static Task<IMDepartmentRsp> DepartmentsAsync(TeamTalkClient client, uint since) =>
        Chat.RequestAsync<IMDepartmentRsp>(client, CommandKeys.DepartmentRequest, new IMDepartmentReq { UserId = 0, LatestUpdateTime = since }, CommandKeys.DepartmentResponse);

    private static Task<IMUsersStatRsp> UsersStatusAsync(TeamTalkClient client, uint[] ids)
    {
        var request = new IMUsersStatReq { UserId = 0 };
        request.UserIdList.AddRange(ids);
        return Chat.RequestAsync<IMUsersStatRsp>(client, CommandKeys.UsersStatusRequest, request, CommandKeys.UsersStatusResponse);
    }

    private static (uint Priority, string Name, uint Parent, DepartmentStatusType Status) Fields(DepartInfo d) =>
        (d.Priority, d.DeptName, d.ParentDeptId, d.DeptStatus);

    private async Task<uint> InsertDepartmentAsync(string name, uint priority, uint parent, uint status, uint updated)
    {
        await fixture.ExecuteAsync(
            "INSERT INTO IMDepart (departName, priority, parentId, status, created, updated) VALUES (@name, @priority, @parent, @status, @updated, @updated)",
            ("@name", name), ("@priority", priority), ("@parent", parent), ("@status", status), ("@updated", updated));
        return await fixture.ScalarAsync("SELECT id FROM IMDepart WHERE departName = @name", ("@name", name));
    }
}
