using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>Login deadline and idle timeouts, on a clock that moves only when told to.</summary>
public sealed class ConnectionSweeperTests
{
    private readonly TestGateway gateway = new(new GatewayOptions
    {
        OutboundQueueCapacity = 16,
        LoginTimeout = TimeSpan.FromSeconds(15),
        IdleTimeoutPc = TimeSpan.FromSeconds(120),
        IdleTimeoutMobile = TimeSpan.FromSeconds(300),
    });

    private readonly ConnectionSweeper sweeper;

    public ConnectionSweeperTests()
    {
        sweeper = new ConnectionSweeper(gateway.Registry, Options.Create(gateway.Settings), gateway.Log, gateway.Time);
    }

    private void Advance(long ms) => gateway.Time.Advance(TimeSpan.FromMilliseconds(ms));

    /// <summary>Moves the clock on by <paramref name="ms"/>, sweeps, and checks the state of <paramref name="test"/>.</summary>
    private void SweepAfter(long ms, TestConnection test, ConnectionState expected)
    {
        Advance(ms);
        sweeper.Sweep();
        Assert.Equal(expected, test.Connection.State);
    }

    [Fact]
    public async Task Connection_not_logged_in_is_closed_after_the_login_deadline()
    {
        var test = gateway.Connect().Start();
        SweepAfter(15_000, test, ConnectionState.Accepted);
        SweepAfter(1, test, ConnectionState.Closing);
        await test.EndedAsync();
        Assert.Equal(0, gateway.Registry.Count);
    }

    [Fact]
    public void Login_in_progress_is_also_bound_by_the_login_deadline()
    {
        var test = gateway.Connect().Start();
        Assert.True(test.Connection.TryBeginLogin());
        SweepAfter(15_001, test, ConnectionState.Closing);
    }

    [Theory]
    [InlineData(DeviceType.Windows, 120_000)]
    [InlineData(DeviceType.Mac, 120_000)]
    [InlineData(DeviceType.Ios, 300_000)]
    [InlineData(DeviceType.Android, 300_000)]
    public void Logged_in_connection_is_closed_after_its_class_idle_timeout(DeviceType device, long idleMs)
    {
        var test = gateway.Connect().LoggedIn(9, device).Start();

        // Logged in: the login deadline no longer applies.
        SweepAfter(idleMs, test, ConnectionState.LoggedIn);
        SweepAfter(1, test, ConnectionState.Closing);
    }

    [Fact]
    public async Task Received_bytes_push_the_idle_deadline_back()
    {
        var test = gateway.Connect().LoggedIn(9, DeviceType.Windows).Start();
        Advance(100_000);
        await test.SendAsync(TestFrames.Heartbeat(1));
        await test.ReceiveAsync(); // the echo: the bytes were read

        SweepAfter(100_000, test, ConnectionState.LoggedIn);
        SweepAfter(20_001, test, ConnectionState.Closing);
    }

    [Fact]
    public void Kicked_connection_is_still_subject_to_the_idle_timeout()
    {
        var test = gateway.Connect().LoggedIn(9, DeviceType.Windows).Start();
        Assert.True(test.Connection.TryKick(TestConnection.KickNotice(9)));
        SweepAfter(120_001, test, ConnectionState.Closing);
    }

    [Fact]
    public void Sweep_only_closes_the_expired_connections()
    {
        var mobile = gateway.Connect().LoggedIn(1, DeviceType.Android).Start();
        var pc = gateway.Connect().LoggedIn(2, DeviceType.Windows).Start();

        Advance(200_000);
        sweeper.Sweep();

        Assert.Equal(ConnectionState.LoggedIn, mobile.Connection.State);
        Assert.Equal(ConnectionState.Closing, pc.Connection.State);
    }

    [Fact]
    public async Task The_sweeper_runs_on_the_injected_clock()
    {
        var test = gateway.Connect().Start();
        using var stop = new CancellationTokenSource();
        var sweeping = sweeper.SweepPeriodicallyAsync(stop.Token);
        for (var second = 0; second < 20; second++)
        {
            Advance(1000);
        }

        await test.EndedAsync();
        Assert.Equal(ConnectionState.Closing, test.Connection.State);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweeping);
    }
}
