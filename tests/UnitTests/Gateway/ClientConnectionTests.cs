using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>Pushes that arrive while a login completes wait for the login reply.</summary>
public sealed class ClientConnectionTests
{
    private static OutboundFrame Reply(ushort seq) => OutboundFrame.Message(CommandKeys.LoginResponse, seq, new IMLogoutRsp { ResultCode = 0 });

    private static OutboundFrame Push() => OutboundFrame.Message(CommandKeys.LogoutResponse, 0, new IMLogoutRsp { ResultCode = 7 });

    [Fact]
    public async Task Pushes_during_login_follow_the_login_reply()
    {
        var test = new TestConnection();
        Assert.True(test.Connection.TryBeginLogin());
        test.Connection.Authenticate(5, DeviceType.Windows);
        Assert.True(test.Connection.TryPush(Push()));
        Assert.True(test.Connection.TrySend(Reply(9)));
        test.Connection.Activate();
        Assert.Equal(ConnectionState.LoggedIn, test.Connection.State);
        Assert.True(test.Connection.TryPush(Push()));

        var frames = await test.DrainFramesAsync();
        Assert.Equal([(ushort)0x0104, (ushort)0x0106, (ushort)0x0106], frames.Select(f => f.Header.CommandId).ToArray());
        Assert.Equal(9, frames[0].Header.SeqNum);
        Assert.All(frames.Skip(1), f => Assert.Equal(0, f.Header.SeqNum));
    }

    [Fact]
    public async Task A_kick_during_login_comes_right_after_the_login_reply_and_ends_service()
    {
        var test = new TestConnection();
        Assert.True(test.Connection.TryBeginLogin());
        test.Connection.Authenticate(5, DeviceType.Android);
        Assert.True(test.Connection.TryKick(TestConnection.KickNotice(5)));
        Assert.True(test.Connection.TrySend(Reply(3)));
        test.Connection.Activate();
        Assert.Equal(ConnectionState.Kicked, test.Connection.State);
        Assert.False(test.Connection.TryPush(Push()), "a kicked connection takes no pushes");

        var frames = await test.DrainFramesAsync();
        Assert.Equal([(ushort)0x0104, (ushort)0x0107], frames.Select(f => f.Header.CommandId).ToArray());
    }

    [Fact]
    public void A_connection_that_never_logged_in_takes_no_pushes()
    {
        var test = new TestConnection();
        Assert.False(test.Connection.TryPush(Push()));
        Assert.True(test.Connection.TryBeginLogin());
        Assert.False(test.Connection.TryPush(Push()), "not authenticated yet");
    }
}
