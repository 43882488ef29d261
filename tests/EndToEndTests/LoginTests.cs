using System.Buffers.Binary;
using System.Text.Json;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>Discovery, login, heartbeat, the authentication gate, kicks, logout and deadlines over real TCP.</summary>
[Collection(DevClusterCollection.Name)]
public sealed class LoginTests(DevClusterFixture fixture)
{
    private GatewayHandle Gateway => fixture.Gateway;

    [Fact]
    public async Task Discovery_answers_the_original_keys_and_types()
    {
        using var json = await TestCluster.DiscoverAsync(Gateway);
        var root = json.RootElement;
        Assert.Equal(
            ["backupIP", "code", "discovery", "msfsBackup", "msfsPrior", "msg", "port", "priorIP"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("code").ValueKind);
        Assert.Equal(0, root.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.String, root.GetProperty("port").ValueKind);
        Assert.Equal(Gateway.TcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("port").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("priorIP").GetString());
        Assert.Equal(string.Empty, root.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Discovery_accepts_any_method_and_path_suffix_and_closes()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{Gateway.HttpPort}/msg_server?x=1"), new StringContent("ignored"));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Contains("close", response.Headers.Connection);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, json.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Login_succeeds_with_full_user_info_and_echoed_seq()
    {
        await using var client = await Clients.ConnectAsync(Gateway);
        var seq = await client.SendAsync(CommandKeys.LoginRequest, new IMLoginReq
        {
            UserName = "alice",
            Password = TeamTalkClient.PasswordHash(TestDatabase.Password),
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = ClientType.Android,
        });
        var reply = await client.ReceiveAsync(Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal(CommandKeys.LoginResponse, reply.Command);
        Assert.Equal(seq, reply.Header.SeqNum);
        Assert.Equal(PacketHeader.ServerVersion, reply.Header.Version);
        var response = reply.Parse<IMLoginRes>();
        Assert.Equal(ResultType.RefuseReasonNone, response.ResultCode);
        Assert.Equal("成功", response.ResultString);
        Assert.Equal(UserStatType.UserStatusOnline, response.OnlineStatus);
        Assert.InRange(response.ServerTime, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
        var info = response.UserInfo;
        Assert.Equal(await fixture.Cluster.Database.UserIdAsync("alice"), info.UserId);
        Assert.Equal("alice", info.UserRealName);
        Assert.Equal("ALICE", info.UserNickName);
        Assert.Equal("alice@example.org", info.Email);
        Assert.Equal(1u, info.DepartmentId);
        Assert.Equal(2u, info.UserGender); // IMUser.sex is TINYINT(1) but holds 2: read as a number, not a boolean
        Assert.True(info.HasStatus && info.HasAvatarUrl && info.HasUserTel && info.HasUserDomain, "required fields are on the wire");
        Assert.True(RequiredFields.IsComplete(response));
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("nobody-by-this-name", "teamtalk")]
    [InlineData("Alice", "teamtalk")]
    [InlineData("alice' OR '1'='1", "teamtalk")]
    public async Task Bad_credentials_get_result_6_and_the_connection_is_closed(string user, string password)
    {
        await using var client = await Clients.ConnectAsync(Gateway);
        var (response, _) = await client.LoginAsync(user, password, ClientType.Windows, Clients.Reply);
        Assert.NotNull(response);
        Assert.Equal(ResultType.RefuseReasonDbValidateFailed, response.ResultCode);
        Assert.Equal("用户名/密码错误", response.ResultString);
        Assert.Null(response.UserInfo);
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Heartbeat_is_echoed_verbatim_before_and_after_login()
    {
        await using var client = await Clients.ConnectAsync(Gateway);
        var frame = new byte[16];
        new PacketHeader(16, 6, 0, (ushort)ServiceID.SidOther, (ushort)OtherCmdID.CidOtherHeartbeat, 4242, 0x30).Write(frame);
        await client.SendRawAsync(frame);
        var echo = await client.ReceiveAsync(Clients.Reply);
        Assert.NotNull(echo);
        Assert.Equal(new PacketHeader(16, 6, 0, 7, 0x0701, 4242, 0x30), echo.Header);
        Assert.Empty(echo.Body);

        var (login, _) = await client.LoginAsync("bob", TestDatabase.Password, ClientType.Ios, Clients.Reply);
        Assert.Equal(ResultType.RefuseReasonNone, login!.ResultCode);
        await client.SendRawAsync(frame);
        echo = await client.ReceiveAsync(CommandKeys.Heartbeat, Clients.Reply);
        Assert.NotNull(echo);
        Assert.Equal(4242, echo.Header.SeqNum);
    }

    [Fact]
    public async Task A_command_before_login_closes_the_connection_without_reply()
    {
        await using var client = await Clients.ConnectAsync(Gateway);
        await client.SendAsync(new CommandKey((ushort)ServiceID.SidMsg, (ushort)MessageCmdID.CidMsgData), new IMMsgData
        {
            FromUserId = 1,
            ToSessionId = 2,
            MsgId = 0,
            CreateTime = 0,
            MsgType = MsgType.SingleText,
            MsgData = Google.Protobuf.ByteString.CopyFromUtf8("hi"),
        });
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(await client.ReceiveAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Unknown_command_after_login_is_ignored_and_the_connection_stays_usable()
    {
        await using var client = await Clients.LoginAsync(Gateway, "carol", ClientType.Android);
        var frame = new byte[20];
        new PacketHeader(20, 1, 0, 0x55, 0x5555, 9, 0).Write(frame);
        await client.SendRawAsync(frame);
        var heartbeat = new byte[16];
        new PacketHeader(16, 1, 0, 7, 0x0701, 10, 0).Write(heartbeat);
        await client.SendRawAsync(heartbeat);
        var echo = await client.ReceiveAsync(Clients.Reply);
        Assert.NotNull(echo);
        Assert.Equal(CommandKeys.Heartbeat, echo.Command);
        Assert.Equal(10, echo.Header.SeqNum);
    }

    [Fact]
    public async Task Garbage_login_body_gets_no_reply_and_the_connection_stays_open()
    {
        await using var client = await Clients.ConnectAsync(Gateway);
        var frame = new byte[16 + 7];
        new PacketHeader((uint)frame.Length, 1, 0, 1, 0x0103, 3, 0).Write(frame);
        new byte[] { 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x99 }.CopyTo(frame, 16);
        await client.SendRawAsync(frame);
        var (response, seq) = await client.LoginAsync("dave", TestDatabase.Password, ClientType.Mac, Clients.Reply);
        Assert.Equal(ResultType.RefuseReasonNone, response!.ResultCode);
        Assert.NotEqual(3, seq);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    [InlineData(1024u * 1024 + 1)]
    [InlineData(0x8000_0000u)]
    public async Task Bad_lengths_close_the_connection(uint length)
    {
        await using var client = await Clients.ConnectAsync(Gateway);
        var frame = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(frame, length);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(10), 0x0701);
        await client.SendRawAsync(frame);
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_same_class_login_kicks_the_older_connection_and_other_classes_coexist()
    {
        await using var pc = await Clients.LoginAsync(Gateway, "erin", ClientType.Windows);
        await using var phone = await Clients.LoginAsync(Gateway, "erin", ClientType.Android);
        await using var mac = await Clients.LoginAsync(Gateway, "erin", ClientType.Mac);

        var kick = await pc.ReceiveAsync(CommandKeys.KickUser, Clients.Reply);
        Assert.NotNull(kick);
        Assert.Equal(0, kick.Header.SeqNum);
        var body = kick.Parse<IMKickUser>();
        Assert.Equal(KickReasonType.KickReasonDuplicateUser, body.KickReason);
        Assert.Equal(await fixture.Cluster.Database.UserIdAsync("erin"), body.UserId);
        Assert.True(await pc.WaitClosedAsync(TimeSpan.FromSeconds(10)), "the kicked connection is closed after the grace period");

        // A login is answered only after the user grain's kicks were handed to the gateways, so a round trip on the
        // phone after the Mac's login reply comes after any kick of the phone (which would also go unanswered).
        await Markers.AssertNoneBeforeRoundTripAsync(phone, Markers.Command(CommandKeys.KickUser), "the PC logins");
        Assert.False(phone.Closed.IsCompleted, "a mobile connection is not kicked by a PC login");
        Assert.False(mac.Closed.IsCompleted);
    }

    [Fact]
    public async Task Logout_replies_with_echoed_seq_and_closes()
    {
        await using var client = await Clients.LoginAsync(Gateway, "frank", ClientType.Ios);
        var seq = await client.SendAsync(CommandKeys.LogoutRequest, new IMLogoutReq());
        var reply = await client.ReceiveAsync(CommandKeys.LogoutResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal(seq, reply.Header.SeqNum);
        Assert.Equal(0u, reply.Parse<IMLogoutRsp>().ResultCode);
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_connection_that_does_not_log_in_is_closed_at_the_login_deadline()
    {
        await using var client = await Clients.ConnectAsync(Gateway);
        var started = DateTime.UtcNow;
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(15)));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(2), "not before the configured 3 s deadline");
    }

    /// <summary>
    /// What only the processes show (the sweeper's rules are unit-tested in ConnectionSweeperTests): the gateway runs
    /// its sweeper with the configured idle timeout, and frames read from the socket count as activity. The test waits
    /// for the idle connection's close, not for a time; meanwhile the other connection heartbeats as clients do.
    /// </summary>
    [Fact]
    public async Task An_idle_pc_connection_is_closed_and_heartbeats_keep_it_open()
    {
        // The kept-alive connection logs in first: were its heartbeats not counted, the sweep that closes the idle one
        // would have closed it too, or earlier.
        await using var alive = await Clients.LoginAsync(Gateway, "carol", ClientType.Windows);
        await using var idle = await Clients.LoginAsync(Gateway, "bob", ClientType.Windows);
        var bound = System.Diagnostics.Stopwatch.StartNew();
        ushort seq = 0;
        while (!await idle.WaitClosedAsync(TimeSpan.FromMilliseconds(500)))
        {
            Assert.True(bound.Elapsed < TimeSpan.FromSeconds(30), "the idle PC connection was not closed (10 s idle timeout)");
            await HeartbeatAsync(alive, ++seq);
        }

        await HeartbeatAsync(alive, ++seq);
        Assert.False(alive.Closed.IsCompleted, "heartbeats keep a connection open");
    }

    /// <summary>Sends a heartbeat and waits for its echo.</summary>
    private static async Task HeartbeatAsync(TeamTalkClient client, ushort seq)
    {
        var heartbeat = new byte[16];
        new PacketHeader(16, 1, 0, 7, 0x0701, seq, 0).Write(heartbeat);
        await client.SendRawAsync(heartbeat);
        var echo = await Markers.UntilAsync(client, Markers.Reply(CommandKeys.Heartbeat, seq), $"heartbeat {seq} echoed");
        Assert.Equal(seq, echo[^1].Header.SeqNum);
    }
}
