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

        Assert.Equal(1, second.Outcome?.Kicked);
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

        // The login decided to kick nothing (kicks are sent without the login waiting for them).
        Assert.Equal(0, mobile.Outcome?.Kicked);
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

    [Fact]
    public async Task A_login_does_not_wait_for_the_kick_of_a_connection_whose_gateway_does_not_answer()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        // Phones: a PC login would also broadcast its status to every gateway, and a client runs one call of an observer
        // at a time, so that broadcast would queue behind the held kick on gateway A whatever the login does with it.
        var first = await cluster.GatewayA.LoginAsync(user, DeviceType.Android);
        var release = cluster.GatewayA.HoldKicks();
        try
        {
            // The silo's observer-call timeout in these tests is longer than this wait: a login that waited for the
            // held kick would not return within it.
            var second = await cluster.GatewayB.LoginAsync(user, DeviceType.Ios).WaitAsync(TestConnection.Timeout);

            Assert.Equal(1, second.Outcome?.Kicked);
            Assert.False(first.IsKicked);
            Assert.Equal([second.Ref], (await cluster.Grains.GetUserGrain(user).GetConnectionsAsync()).Select(c => c.Connection));
        }
        finally
        {
            release();
        }

        Assert.Equal(KickReason.DuplicateUser, await first.Kicked.WaitAsync(TestConnection.Timeout));
    }
}
