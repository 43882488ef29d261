using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Gateway;

public sealed class ConnectionSweeperTests
{
    private readonly ConnectionRegistry registry = new();
    private readonly ConnectionSweeper sweeper;

    public ConnectionSweeperTests()
    {
        var options = new GatewayOptions
        {
            LoginTimeout = TimeSpan.FromSeconds(15),
            IdleTimeoutPc = TimeSpan.FromSeconds(120),
            IdleTimeoutMobile = TimeSpan.FromSeconds(300),
        };
        sweeper = new ConnectionSweeper(registry, Options.Create(options), new ConnectionLog(NullLogger<ConnectionLog>.Instance));
    }

    private ClientConnection Add(TestConnection test)
    {
        registry.Add(test.Connection);
        return test.Connection;
    }

    [Fact]
    public void Connection_not_logged_in_is_closed_after_the_login_deadline()
    {
        var connection = Add(new TestConnection(1));
        sweeper.Sweep(connection.AcceptedAtMs + 15_000);
        Assert.Equal(ConnectionState.Accepted, connection.State);
        sweeper.Sweep(connection.AcceptedAtMs + 15_001);
        Assert.Equal(ConnectionState.Closing, connection.State);
    }

    [Fact]
    public void Login_in_progress_is_also_bound_by_the_login_deadline()
    {
        var connection = Add(new TestConnection(1));
        Assert.True(connection.TryBeginLogin());
        sweeper.Sweep(connection.AcceptedAtMs + 15_001);
        Assert.Equal(ConnectionState.Closing, connection.State);
    }

    [Theory]
    [InlineData(DeviceType.Windows, 120_000)]
    [InlineData(DeviceType.Mac, 120_000)]
    [InlineData(DeviceType.Ios, 300_000)]
    [InlineData(DeviceType.Android, 300_000)]
    public void Logged_in_connection_is_closed_after_its_class_idle_timeout(DeviceType device, long idleMs)
    {
        var connection = Add(new TestConnection(1).LoggedIn(9, device));
        var last = connection.LastReceivedMs;

        // Logged in: the login deadline no longer applies.
        sweeper.Sweep(last + idleMs);
        Assert.Equal(ConnectionState.LoggedIn, connection.State);
        sweeper.Sweep(last + idleMs + 1);
        Assert.Equal(ConnectionState.Closing, connection.State);
    }

    [Fact]
    public void Received_bytes_push_the_idle_deadline_back()
    {
        var connection = Add(new TestConnection(1).LoggedIn(9, DeviceType.Windows));
        var before = connection.LastReceivedMs;
        Thread.Sleep(20);
        connection.Touch();
        Assert.True(connection.LastReceivedMs > before);
        sweeper.Sweep(before + 120_001);
        Assert.Equal(ConnectionState.LoggedIn, connection.State);
        sweeper.Sweep(connection.LastReceivedMs + 120_001);
        Assert.Equal(ConnectionState.Closing, connection.State);
    }

    [Fact]
    public void Kicked_connection_is_still_subject_to_the_idle_timeout()
    {
        var connection = Add(new TestConnection(1).LoggedIn(9, DeviceType.Windows));
        Assert.True(connection.TryKick(TestConnection.KickNotice(9)));
        sweeper.Sweep(connection.LastReceivedMs + 120_001);
        Assert.Equal(ConnectionState.Closing, connection.State);
    }

    [Fact]
    public void Sweep_only_closes_the_expired_connections()
    {
        var fresh = Add(new TestConnection(1).LoggedIn(1, DeviceType.Android));
        var idlePc = Add(new TestConnection(2).LoggedIn(2, DeviceType.Windows));
        var now = Math.Max(fresh.LastReceivedMs, idlePc.LastReceivedMs) + 200_000;

        sweeper.Sweep(now);

        Assert.Equal(ConnectionState.LoggedIn, fresh.State);
        Assert.Equal(ConnectionState.Closing, idlePc.State);
    }
}
