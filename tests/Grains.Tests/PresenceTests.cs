using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>Presence: online iff a PC-class connection exists, announced to every gateway's PCs and to the user's mobiles.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PresenceTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_pc_login_is_broadcast_online_to_every_gateway_and_told_to_the_users_mobiles()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var mobile = await cluster.GatewayB.LoginAsync(user, DeviceType.Ios);

        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);

        Assert.Equal(new UserStatusPush(user, Online: true), await cluster.GatewayA.NextBroadcastAsync(user));
        Assert.Equal(new UserStatusPush(user, Online: true), await cluster.GatewayB.NextBroadcastAsync(user));
        Assert.Equal(new PcLoginStatusPush(user, Online: true), await mobile.NextAsync());
        await cluster.AssertNothingElseAsync(mobile, pc);
    }

    [Fact]
    public async Task The_last_pc_disconnect_is_broadcast_offline_and_a_mobile_disconnect_is_not()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        var firstMobile = await cluster.GatewayB.LoginAsync(user, DeviceType.Android);
        await firstMobile.DisconnectAsync();
        var mobile = await cluster.GatewayA.LoginAsync(user, DeviceType.Ios);

        await pc.DisconnectAsync();

        foreach (var gateway in new[] { cluster.GatewayA, cluster.GatewayB })
        {
            // Online once, then offline once: the mobiles coming and going announced nothing.
            Assert.Equal(new UserStatusPush(user, Online: true), await gateway.NextBroadcastAsync(user));
            Assert.Equal(new UserStatusPush(user, Online: false), await gateway.NextBroadcastAsync(user));
            Assert.False(gateway.HasBroadcast(user));
        }

        Assert.Equal(new PcLoginStatusPush(user, Online: false), await mobile.NextAsync());
        Assert.False((await cluster.Grains.GetUserGrain(user).GetPresenceAsync()).PcOnline);
        await cluster.AssertNothingElseAsync(mobile);
    }

    [Fact]
    public async Task A_kicked_pc_closing_leaves_the_user_online()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var first = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        var second = await cluster.GatewayB.LoginAsync(user, DeviceType.Mac);
        await first.Kicked.WaitAsync(TestConnection.Timeout);

        await first.DisconnectAsync(); // the gateway closes the kicked connection after its grace period
        await second.DisconnectAsync();

        foreach (var gateway in new[] { cluster.GatewayA, cluster.GatewayB })
        {
            Assert.Equal(new UserStatusPush(user, Online: true), await gateway.NextBroadcastAsync(user));
            Assert.Equal(new UserStatusPush(user, Online: true), await gateway.NextBroadcastAsync(user));
            Assert.Equal(new UserStatusPush(user, Online: false), await gateway.NextBroadcastAsync(user));
            Assert.False(gateway.HasBroadcast(user));
        }
    }

    [Fact]
    public async Task A_reactivated_user_grain_learns_its_connections_from_the_gateways()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        var mobile = await cluster.GatewayB.LoginAsync(user, DeviceType.Android);
        var grain = cluster.Grains.GetUserGrain(user);

        await cluster.DeactivateAsync(grain);

        Assert.Equal([pc.Ref, mobile.Ref], (await grain.GetConnectionsAsync()).Select(c => c.Connection).OrderBy(c => c.ConnectionId));
        var later = await cluster.GatewayA.LoginAsync(user, DeviceType.Mac);
        Assert.Equal(KickReason.DuplicateUser, await pc.Kicked.WaitAsync(TestConnection.Timeout));
        Assert.False(mobile.IsKicked || later.IsKicked);
    }

    [Fact]
    public async Task A_mobile_connecting_while_the_pc_is_online_is_told_so()
    {
        var users = await cluster.NewUsersAsync(2);
        await cluster.GatewayA.LoginAsync(users[0], DeviceType.Mac);

        var withPc = await cluster.GatewayB.LoginAsync(users[0], DeviceType.Ios);
        var withoutPc = await cluster.GatewayB.LoginAsync(users[1], DeviceType.Ios);

        Assert.Equal(new ConnectOutcome(PcOnline: true), withPc.Outcome);
        Assert.Equal(new ConnectOutcome(PcOnline: false), withoutPc.Outcome);
    }

    [Fact]
    public async Task Users_status_asks_every_gateway_for_pc_connections()
    {
        var users = await cluster.NewUsersAsync(4);
        await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        await cluster.GatewayB.LoginAsync(users[1], DeviceType.Mac);
        await cluster.GatewayB.LoginAsync(users[2], DeviceType.Android);

        var online = await cluster.Grains.GetGrain<IPresenceGrain>(0).GetPcOnlineAsync([.. users]);

        Assert.Equal([users[0], users[1]], online.Order());
    }
}
