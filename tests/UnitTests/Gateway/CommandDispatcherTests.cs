using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>The authentication gate and the handlers that need no grain (heartbeat, logout, rejected logins).</summary>
public sealed class CommandDispatcherTests
{
    private static readonly PacketHeader AndroidHeartbeat = new(16, 6, 0, 7, 0x0701, 0x1234, 0x0030);

    private readonly ConnectionLog log = new(NullLogger<ConnectionLog>.Instance);
    private readonly CommandDispatcher dispatcher;

    public CommandDispatcherTests()
    {
        var options = new GatewayOptions();
        var login = new LoginHandler(null!, new GatewayIdentity(options), TimeProvider.System, log);
        dispatcher = new CommandDispatcher([new HeartbeatHandler(log), new LogoutHandler(null!, log), login], log);
    }

    private static byte[] Encode(PacketHeader header)
    {
        var bytes = new byte[PacketHeader.Size];
        header.Write(bytes);
        return bytes;
    }

    [Fact]
    public async Task Heartbeat_before_login_is_echoed_byte_for_byte()
    {
        var test = new TestConnection();
        await dispatcher.DispatchAsync(test.Connection, AndroidHeartbeat, default);
        Assert.Equal(ConnectionState.Accepted, test.Connection.State);
        Assert.Equal(Encode(AndroidHeartbeat), await test.DrainAsync());
    }

    [Fact]
    public async Task Heartbeat_with_a_body_is_echoed_with_the_body()
    {
        var test = new TestConnection().LoggedIn(1, DeviceType.Windows);
        var header = AndroidHeartbeat with { Length = 19 };
        await dispatcher.DispatchAsync(test.Connection, header, new([0x01, 0x02, 0x03]));
        Assert.Equal([.. Encode(header), 0x01, 0x02, 0x03], await test.DrainAsync());
    }

    [Fact]
    public async Task A_heartbeat_with_a_large_body_is_not_echoed_and_closes_the_connection()
    {
        // Before login, too: otherwise each heartbeat would queue a copy of its body for a client that need not read.
        var test = new TestConnection();
        var body = new byte[HeartbeatHandler.MaxBodyBytes + 1];
        await dispatcher.DispatchAsync(test.Connection, AndroidHeartbeat with { Length = (uint)(PacketHeader.Size + body.Length) }, new(body));

        Assert.Equal(ConnectionState.Closing, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Theory]
    [InlineData(0x0105)] // logout: served only after login
    [InlineData(0x0301)] // a command without handler
    [InlineData(0xFFFF)]
    public async Task Any_other_command_before_login_closes_the_connection(int command)
    {
        var test = new TestConnection();
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader(16, 1, 0, 1, (ushort)command, 1, 0), default);
        Assert.Equal(ConnectionState.Closing, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public async Task Unknown_command_after_login_is_ignored_and_the_connection_stays_open()
    {
        var test = new TestConnection().LoggedIn(1, DeviceType.Windows);
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader(16, 1, 0, 9, 0x0999, 1, 0), default);
        Assert.Equal(ConnectionState.LoggedIn, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public async Task Kicked_connection_is_not_served()
    {
        var test = new TestConnection().LoggedIn(1, DeviceType.Windows);
        Assert.True(test.Connection.TryKick(TestConnection.KickNotice(1)));
        Assert.False(test.Connection.TryKick(TestConnection.KickNotice(1)), "only one call kicks");
        await dispatcher.DispatchAsync(test.Connection, AndroidHeartbeat, default);
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader(16, 1, 0, 1, 0x0105, 1, 0), default);
        Assert.Equal(ConnectionState.Kicked, test.Connection.State);
        var frames = await test.DrainFramesAsync();
        var only = Assert.Single(frames); // the kick notice, and no reply to what came after it
        Assert.Equal(0x0107, only.Header.CommandId);
    }

    [Fact]
    public async Task Logout_replies_result_code_0_with_the_request_seq_then_closes()
    {
        // A PC: its logout asks no grain (a phone's clears its push token first, see the end-to-end DeviceTests).
        var test = new TestConnection().LoggedIn(1, DeviceType.Windows);
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader(16, 6, 0, 1, 0x0105, 0x4321, 0x0030), default);
        Assert.Equal(ConnectionState.Closing, test.Connection.State);

        var frames = await test.DrainFramesAsync();
        var (header, body) = Assert.Single(frames);
        Assert.Equal(new PacketHeader(18, 1, 0, 1, 0x0106, 0x4321, 0), header);
        Assert.Equal([0x08, 0x00], body);
    }

    [Fact]
    public async Task Unparsable_body_is_ignored_and_the_connection_stays_open()
    {
        var test = new TestConnection().LoggedIn(1, DeviceType.Windows);
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader(19, 1, 0, 1, 0x0105, 1, 0), new([0x0A, 0x05, 0x01]));
        Assert.Equal(ConnectionState.LoggedIn, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public async Task Login_lacking_a_required_field_is_ignored_without_reply()
    {
        var test = new TestConnection();
        var body = new IMLoginReq { UserName = "u", Password = "p", OnlineStatus = UserStatType.UserStatusOnline }.ToByteArray();
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader((uint)(16 + body.Length), 1, 0, 1, 0x0103, 1, 0), new(body));
        Assert.Equal(ConnectionState.Accepted, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(3u)]
    [InlineData(0x13u)]
    public async Task Login_with_an_undefined_client_type_is_ignored_without_reply(uint clientType)
    {
        var test = new TestConnection();
        var body = new IMLoginReq
        {
            UserName = "u",
            Password = "p",
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = (ClientType)clientType,
        }.ToByteArray();
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader((uint)(16 + body.Length), 1, 0, 1, 0x0103, 1, 0), new(body));
        Assert.Equal(ConnectionState.Accepted, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public async Task A_login_with_a_name_no_user_can_have_is_refused_as_wrong_without_a_grain()
    {
        // The handler's cluster is null here: a grain call would fail and answer "no database server" instead.
        var test = new TestConnection();
        var body = new IMLoginReq
        {
            UserName = new string('n', 256),
            Password = "p",
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = ClientType.Windows,
            ClientVersion = "test",
        }.ToByteArray();
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader((uint)(16 + body.Length), 1, 0, 1, 0x0103, 1, 0), new(body));

        var reply = Assert.Single(TestConnection.Frames(await test.DrainAsync()));
        var response = IMLoginRes.Parser.ParseFrom(reply.Body);
        Assert.Equal(ResultType.RefuseReasonDbValidateFailed, response.ResultCode);
    }
}
