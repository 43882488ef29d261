using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Commands.Buddy;
using TeamTalk.Orleans.Gateway.Commands.Message;
using TeamTalk.Orleans.Gateway.Commands.Switch;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.Protocol.Messages.SwitchService;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>The directory, presence, P2P and time handlers: what they decide without a grain.</summary>
public sealed class DirectoryHandlerTests
{
    private readonly ConnectionLog log = new(NullLogger<ConnectionLog>.Instance);

    [Fact]
    public async Task Time_request_is_answered_with_the_server_time_and_the_seq_echoed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_123));
        var test = new TestConnection().LoggedIn(5, DeviceType.Android);
        var (header, body) = TestFrames.Request(3, 0x0305, 0x2222, new IMClientTimeReq());
        await new TimeHandler(clock, log).HandleAsync(test.Connection, header, body);

        var (reply, bytes) = Assert.Single(await test.DrainFramesAsync());
        Assert.Equal((ushort)3, reply.ServiceId);
        Assert.Equal((ushort)0x0306, reply.CommandId);
        Assert.Equal((ushort)0x2222, reply.SeqNum);
        Assert.Equal(1_700_000_123u, IMClientTimeRsp.Parser.ParseFrom(bytes).ServerTime);
    }

    [Fact]
    public async Task User_info_for_too_many_ids_is_rejected_without_asking_the_cluster()
    {
        var test = new TestConnection().LoggedIn(5, DeviceType.Windows);
        var request = new IMUsersInfoReq { UserId = 5 };
        request.UserIdList.AddRange(Enumerable.Range(1, UserInfoHandler.MaxIds + 1).Select(i => (uint)i));
        var (header, body) = TestFrames.Request(2, 0x0204, 7, request);

        // No grain factory: a rejected request must not reach the cluster.
        await new UserInfoHandler(null!, log).HandleAsync(test.Connection, header, body);

        Assert.Equal(ConnectionState.LoggedIn, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public async Task Users_status_for_too_many_ids_is_rejected_without_asking_the_cluster()
    {
        var test = new TestConnection().LoggedIn(5, DeviceType.Windows);
        var request = new IMUsersStatReq { UserId = 5 };
        request.UserIdList.AddRange(Enumerable.Range(1, UsersStatusHandler.MaxIds + 1).Select(i => (uint)i));
        var (header, body) = TestFrames.Request(2, 0x020a, 7, request);

        await new UsersStatusHandler(null!, log).HandleAsync(test.Connection, header, body);

        Assert.Equal(ConnectionState.LoggedIn, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public void Users_status_keeps_request_order_and_duplicates_and_never_says_leave()
    {
        var response = UsersStatusHandler.BuildResponse(9, [3, 1, 3, 2], new HashSet<uint> { 3 });
        Assert.Equal(9u, response.UserId);
        Assert.Equal([3u, 1u, 3u, 2u], response.UserStatList.Select(s => s.UserId));
        Assert.Equal(
            [UserStatType.UserStatusOnline, UserStatType.UserStatusOffline, UserStatType.UserStatusOnline, UserStatType.UserStatusOffline],
            response.UserStatList.Select(s => s.Status));
        Assert.True(RequiredFields.IsComplete(response));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(5u)]
    public async Task P2P_command_to_nobody_or_to_self_is_rejected_without_asking_the_cluster(uint to)
    {
        var test = new TestConnection().LoggedIn(5, DeviceType.Windows);
        var (header, body) = TestFrames.Request(6, 0x0601, 7, new IMP2PCmdMsg { FromUserId = 5, ToUserId = to, CmdMsgData = "{}" });

        await new P2PCommandHandler(null!, new GatewayIdentity(new GatewayOptions()), log).HandleAsync(test.Connection, header, body);

        Assert.Equal(ConnectionState.LoggedIn, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public async Task P2P_command_over_the_size_limit_is_rejected_without_asking_the_cluster()
    {
        var test = new TestConnection().LoggedIn(5, DeviceType.Windows);
        var payload = new string('x', P2PCommandHandler.MaxCommandChars + 1);
        var (header, body) = TestFrames.Request(6, 0x0601, 7, new IMP2PCmdMsg { FromUserId = 5, ToUserId = 6, CmdMsgData = payload });

        await new P2PCommandHandler(null!, new GatewayIdentity(new GatewayOptions()), log).HandleAsync(test.Connection, header, body);

        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public void Directory_entries_carry_the_real_status_and_departments_every_field()
    {
        var profile = new UserProfile(7, 2, "nick", "", 3, "e@x", "name", "", "dom", "sign");
        var info = ProtocolMapper.ToUserInfo(new DirectoryUser(profile, Status: 3, Updated: 100));
        Assert.Equal(3u, info.Status);
        Assert.Equal(0u, ProtocolMapper.ToUserInfo(profile).Status); // the login reply always says 0
        Assert.True(RequiredFields.IsComplete(info));

        var depart = ProtocolMapper.ToDepartInfo(new Department(4, 9, "R&D", 1, 1, 100));
        Assert.Equal(4u, depart.DeptId);
        Assert.Equal(9u, depart.Priority);
        Assert.Equal("R&D", depart.DeptName);
        Assert.Equal(1u, depart.ParentDeptId);
        Assert.Equal(DepartmentStatusType.DeptStatusDelete, depart.DeptStatus);
        Assert.True(RequiredFields.IsComplete(depart));
    }

    [Fact]
    public void Registry_finds_users_with_a_logged_in_pc_connection_only()
    {
        var gateway = new TestGateway();
        gateway.Connect().LoggedIn(10, DeviceType.Windows);
        gateway.Connect().LoggedIn(11, DeviceType.Android);
        gateway.Connect().LoggedIn(12, DeviceType.Mac);
        gateway.Connect().LoggedIn(12, DeviceType.Ios);
        var kicked = gateway.Connect().LoggedIn(13, DeviceType.Windows).Connection;
        Assert.True(kicked.TryKick(TestConnection.KickNotice(13))); // a kicked connection is no longer found under its user

        Assert.Equal([10u, 12u], gateway.Registry.FindPcOnline([10, 11, 12, 13, 14, 10]).Order());
    }
}
