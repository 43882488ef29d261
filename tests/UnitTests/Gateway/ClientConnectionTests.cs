using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>
/// The connection owner: pushes held during login, kicks, the one close path and its single goodbye, the outbound
/// queue and its writer, the read loop.
/// </summary>
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

    [Fact]
    public async Task A_kicked_connection_leaves_its_user_at_once_and_closes_after_the_grace_period()
    {
        var gateway = new TestGateway(new GatewayOptions { KickGracePeriod = TimeSpan.FromSeconds(2) });
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows).Start();
        Assert.Equal(1, gateway.Registry.LoggedInCount);

        Assert.True(test.Connection.TryKick(TestConnection.KickNotice(5)));
        Assert.False(test.Connection.TryKick(TestConnection.KickNotice(5)), "only one call kicks");
        Assert.Equal(0, gateway.Registry.LoggedInCount);
        Assert.Equal(0x0107, (await test.ReceiveAsync()).Header.CommandId);

        gateway.Time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(ConnectionState.Kicked, test.Connection.State);
        gateway.Time.Advance(TimeSpan.FromMilliseconds(1));
        await test.EndedAsync();

        Assert.Equal(ConnectionState.Closing, test.Connection.State);
        Assert.Equal([(test.Connection.Id, 5u)], gateway.Notifier.Calls);
    }

    [Fact]
    public async Task Close_is_idempotent_and_the_user_grain_is_told_once()
    {
        var gateway = new TestGateway();
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows).Start();
        Assert.Equal(1, gateway.Registry.Count);

        test.Connection.CloseAfterFlush();
        test.Connection.CloseAfterFlush();
        test.Connection.Abort("again");
        test.Connection.Abort("and again");
        await test.EndedAsync();

        Assert.Equal(ConnectionState.Closing, test.Connection.State);
        Assert.False(test.Connection.TrySend(Push()), "a closed connection takes nothing");
        Assert.Equal([(test.Connection.Id, 5u)], gateway.Notifier.Calls);
        Assert.Equal(0, gateway.Registry.Count);
        Assert.Equal(0, gateway.Registry.LoggedInCount);
    }

    [Fact]
    public async Task A_send_error_of_any_kind_ends_the_connection_through_its_one_close_path()
    {
        var gateway = new TestGateway();
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows).Start();

        // ETIMEDOUT: not one of the errors of a peer that went away, which the writer always handled.
        test.SocketFails(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut));
        Assert.True(test.Connection.TryPush(Push()));
        await test.EndedAsync();

        Assert.True(test.Connection.Closed.IsCompleted);
        Assert.Equal([(test.Connection.Id, 5u)], gateway.Notifier.Calls);
        Assert.Equal(0, gateway.Registry.Count);
    }

    [Fact]
    public async Task A_connection_that_never_logged_in_closes_without_telling_any_user_grain()
    {
        var gateway = new TestGateway();
        var test = gateway.Connect().Start();
        await test.HangUpAsync();
        await test.EndedAsync();

        Assert.Empty(gateway.Notifier.Calls);
        Assert.Equal(0, gateway.Registry.Count);
    }

    [Fact]
    public async Task A_draining_gateway_closes_what_it_holds_and_serves_no_new_connection()
    {
        var gateway = new TestGateway();
        var held = gateway.Connect().Start();

        var toClose = gateway.Registry.BeginDrain();
        Assert.Same(held.Connection, Assert.Single(toClose));
        foreach (var connection in toClose)
        {
            connection.CloseAfterFlush();
        }

        await held.EndedAsync();
        var late = gateway.Connect().Start();
        await late.EndedAsync();

        Assert.True(late.Connection.Closed.IsCompleted);
        Assert.Equal(0, gateway.Registry.Count);
    }

    [Fact]
    public async Task A_full_outbound_queue_aborts_the_connection_and_drops_what_is_queued()
    {
        var gateway = new TestGateway(new GatewayOptions { OutboundQueueCapacity = 16 });
        var test = gateway.Connect().LoggedIn(5, DeviceType.Windows);

        // The writer is not running yet: nothing leaves the queue, as with a client that stopped reading.
        for (var i = 0; i < 16; i++)
        {
            Assert.True(test.Connection.TryPush(Push()));
        }

        Assert.False(test.Connection.TryPush(Push()));
        Assert.Equal(ConnectionState.Closing, test.Connection.State);
        Assert.Equal(0, gateway.Registry.LoggedInCount);

        var output = test.ReadToEndAsync();
        await test.Start().EndedAsync();
        Assert.Empty(await output);
        Assert.Equal([(test.Connection.Id, 5u)], gateway.Notifier.Calls);
    }

    [Fact]
    public async Task The_writer_sends_frames_in_the_order_queued_and_skips_an_incomplete_one()
    {
        var gateway = new TestGateway(new GatewayOptions { OutboundQueueCapacity = 1024 });
        var test = gateway.Connect().Start();
        for (ushort seq = 1; seq <= 500; seq++)
        {
            Assert.True(test.Connection.TrySend(seq == 250
                ? OutboundFrame.Message(CommandKeys.LogoutResponse, seq, new IMLogoutRsp()) // result_code missing
                : Reply(seq)));
        }

        var frames = await test.DrainFramesAsync();
        Assert.Equal(Enumerable.Range(1, 500).Where(s => s != 250).Select(s => (ushort)s), frames.Select(f => f.Header.SeqNum));
    }

    [Fact]
    public async Task Frames_cut_anywhere_by_the_network_are_served_in_order()
    {
        var test = new TestConnection().Start();
        var bytes = TestFrames.Heartbeat(1).Concat(TestFrames.Heartbeat(2)).Concat(TestFrames.Heartbeat(3)).ToArray();
        await test.SendAsync(bytes[..5]);
        await test.SendAsync(bytes[5..21]);
        await test.SendAsync(bytes[21..]);

        for (ushort seq = 1; seq <= 3; seq++)
        {
            Assert.Equal(seq, (await test.ReceiveAsync()).Header.SeqNum);
        }

        await test.HangUpAsync();
        await test.EndedAsync();
        Assert.Equal(ConnectionState.Closing, test.Connection.State);
    }

    [Fact]
    public async Task A_frame_longer_than_the_limit_closes_the_connection()
    {
        var gateway = new TestGateway(new GatewayOptions { MaxPacketBytes = 1024 });
        var test = gateway.Connect().Start();
        var header = new byte[PacketHeader.Size];
        new PacketHeader(1025, 1, 0, 7, 0x0701, 1, 0).Write(header);
        await test.SendAsync(header);

        await test.EndedAsync();
        Assert.Equal(ConnectionState.Closing, test.Connection.State);
    }
}
