using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>The multi-login rules of the User grain: same-class connections kick each other, across gateways.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KickTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_second_pc_login_kicks_the_first_pc_on_the_other_gateway_as_a_duplicate_user()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var first = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);

        var second = await cluster.GatewayB.LoginAsync(user, DeviceType.Mac);

        Assert.Equal(KickReason.DuplicateUser, await first.Kicked.WaitAsync(TestConnection.Timeout));
        Assert.False(second.IsKicked);
        Assert.Equal([second.Ref], (await cluster.Grains.GetUserGrain(user).GetConnectionsAsync()).Select(c => c.Connection));
    }

    [Fact]
    public async Task A_mobile_login_does_not_kick_the_pc()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);

        var mobile = await cluster.GatewayB.LoginAsync(user, DeviceType.Android);

        // ConnectAsync returns after its kicks were delivered: none was.
        Assert.False(pc.IsKicked);
        Assert.False(mobile.IsKicked);
        var presence = await cluster.Grains.GetUserGrain(user).GetPresenceAsync();
        Assert.Equal((true, 1, 1), (presence.PcOnline, presence.PcConnections, presence.MobileConnections));
    }

    [Fact]
    public async Task A_second_mobile_kicks_the_first_mobile_and_leaves_the_pc()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        var firstMobile = await cluster.GatewayA.LoginAsync(user, DeviceType.Ios);

        var secondMobile = await cluster.GatewayB.LoginAsync(user, DeviceType.Android);

        Assert.Equal(KickReason.DuplicateUser, await firstMobile.Kicked.WaitAsync(TestConnection.Timeout));
        Assert.False(pc.IsKicked);
        Assert.False(secondMobile.IsKicked);
        Assert.Equal(
            [pc.Ref, secondMobile.Ref],
            (await cluster.Grains.GetUserGrain(user).GetConnectionsAsync()).Select(c => c.Connection).OrderBy(c => c.ConnectionId));
    }
}
