using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Commands.Buddy;
using TeamTalk.Orleans.Gateway.Commands.Group;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Group;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>
/// The query handlers' shared failure handling. A handler built without a grain factory fails its grain call, as when
/// the cluster cannot answer: by default nothing is sent; some handlers answer a failure.
/// </summary>
public sealed class QueryHandlerTests
{
    private readonly TestGateway gateway = new();

    [Fact]
    public async Task A_failed_call_gets_no_reply_and_the_connection_stays_open()
    {
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows);
        var (header, body) = TestFrames.Request(2, 0x0208, 7, new IMAllUserReq { UserId = 5, LatestUpdateTime = 0 });

        await new AllUserHandler(null!, gateway.Log).HandleAsync(test.Connection, header, body);

        Assert.Equal(ConnectionState.LoggedIn, test.Connection.State);
        Assert.Empty(await test.DrainAsync());
    }

    [Fact]
    public async Task A_failed_session_removal_is_answered_with_result_1_and_the_seq_echoed()
    {
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows);
        var (header, body) = TestFrames.Request(2, 0x0206, 0x042, new IMRemoveSessionReq { UserId = 5, SessionType = SessionType.Single, SessionId = 6 });

        await new RemoveSessionHandler(null!, new GatewayIdentity(gateway.Settings), gateway.Log).HandleAsync(test.Connection, header, body);

        var (reply, bytes) = Assert.Single(await test.DrainFramesAsync());
        Assert.Equal(CommandKeys.RemoveSessionResponse.CommandId, reply.CommandId);
        Assert.Equal((ushort)0x042, reply.SeqNum);
        var response = IMRemoveSessionRsp.Parser.ParseFrom(bytes);
        Assert.Equal(1u, response.ResultCode);
        Assert.Equal(6u, response.SessionId);
    }

    [Fact]
    public async Task A_failed_normal_group_list_is_answered_empty()
    {
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows);
        var (header, body) = TestFrames.Request(4, 0x0401, 3, new IMNormalGroupListReq { UserId = 5 });

        await new NormalGroupListHandler(null!, gateway.Log).HandleAsync(test.Connection, header, body);

        var (reply, bytes) = Assert.Single(await test.DrainFramesAsync());
        Assert.Equal(CommandKeys.GroupNormalListResponse.CommandId, reply.CommandId);
        Assert.Empty(IMNormalGroupListRsp.Parser.ParseFrom(bytes).GroupVersionList);
    }

    [Fact]
    public async Task A_request_refused_before_the_call_gets_no_reply()
    {
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows);
        var (header, body) = TestFrames.Request(4, 0x040d, 3, new IMGroupShieldReq { UserId = 5, GroupId = 0, ShieldStatus = 1 });

        await new ShieldGroupHandler(null!, gateway.Log).HandleAsync(test.Connection, header, body);

        Assert.Empty(await test.DrainAsync());
    }
}
