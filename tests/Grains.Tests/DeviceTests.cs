using System.Globalization;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>What phones do in their first minute: push tokens, the push shield, and a mobile kicking the PCs.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_token_belongs_to_one_user_and_moves_when_the_phone_logs_in_as_another()
    {
        var users = await cluster.NewUsersAsync(2);
        var token = "apns-" + Guid.NewGuid().ToString("N");
        var devices = cluster.Grains.GetDeviceGrain();

        await devices.SetTokenAsync(new DeviceToken(users[0], token, DeviceType.Ios));
        Assert.Equal([new DeviceToken(users[0], token, DeviceType.Ios)], await devices.GetTokensAsync(users));

        await devices.SetTokenAsync(new DeviceToken(users[1], token, DeviceType.Ios));
        Assert.Equal([new DeviceToken(users[1], token, DeviceType.Ios)], await devices.GetTokensAsync(users));
        Assert.Equal(1L, Convert.ToInt64(await cluster.Database.ScalarAsync(
            "SELECT COUNT(*) FROM TeamTalkDeviceToken WHERE token = @t", ("@t", token)), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_users_new_phone_replaces_its_old_token()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var devices = cluster.Grains.GetDeviceGrain();

        await devices.SetTokenAsync(new DeviceToken(user, "old-" + Guid.NewGuid().ToString("N"), DeviceType.Ios));
        var newer = new DeviceToken(user, "new-" + Guid.NewGuid().ToString("N"), DeviceType.Android);
        await devices.SetTokenAsync(newer);

        Assert.Equal([newer], await devices.GetTokensAsync([user]));
    }

    [Fact]
    public async Task A_phones_logout_clears_the_token_of_its_type_and_a_pcs_logout_clears_nothing()
    {
        var users = await cluster.NewUsersAsync(2);
        var devices = cluster.Grains.GetDeviceGrain();
        var phone = new DeviceToken(users[0], "apns-" + Guid.NewGuid().ToString("N"), DeviceType.Ios);
        var other = new DeviceToken(users[1], "apns-" + Guid.NewGuid().ToString("N"), DeviceType.Ios);
        await devices.SetTokenAsync(phone);
        await devices.SetTokenAsync(other);

        // A PC's logout (defect 26: the original cleared the token here) and a phone of another type clear nothing.
        Assert.Equal(0, await devices.ClearTokenAsync(users[0], DeviceType.Windows));
        Assert.Equal(0, await devices.ClearTokenAsync(users[0], DeviceType.Mac));
        Assert.Equal(0, await devices.ClearTokenAsync(users[0], DeviceType.Android));
        Assert.Equal([phone, other], await devices.GetTokensAsync(users));

        // The phone itself: its token goes, another user's stays.
        Assert.Equal(1, await devices.ClearTokenAsync(users[0], DeviceType.Ios));
        Assert.Equal([other], await devices.GetTokensAsync(users));
        Assert.Equal(0, await devices.ClearTokenAsync(users[0], DeviceType.Ios));
    }

    [Fact]
    public async Task The_push_shield_is_stored_in_IMUser_and_read_back()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var devices = cluster.Grains.GetDeviceGrain();
        Assert.Equal(new PushShield(Ok: true, 0), await devices.GetPushShieldAsync(user));

        Assert.Equal(new PushShield(Ok: true, 1), await devices.SetPushShieldAsync(user, 1));

        Assert.Equal(new PushShield(Ok: true, 1), await devices.GetPushShieldAsync(user));
        Assert.Equal(1L, Convert.ToInt64(await cluster.Database.ScalarAsync(
            "SELECT push_shield_status FROM IMUser WHERE id = @u", ("@u", user)), CultureInfo.InvariantCulture));
        Assert.Equal(new PushShield(Ok: true, 0), await devices.SetPushShieldAsync(user, 0));
        Assert.Equal(new PushShield(Ok: true, 0), await devices.GetPushShieldAsync(user));
    }

    [Fact]
    public async Task The_push_shield_of_an_unknown_user_or_a_value_beyond_the_column_fails()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var devices = cluster.Grains.GetDeviceGrain();

        Assert.False((await devices.SetPushShieldAsync(uint.MaxValue - 7, 1)).Ok);
        Assert.False((await devices.GetPushShieldAsync(uint.MaxValue - 7)).Ok);
        Assert.False((await devices.SetPushShieldAsync(user, 256)).Ok);
        Assert.Equal(new PushShield(Ok: true, 0), await devices.GetPushShieldAsync(user));
    }

    [Fact]
    public async Task A_mobile_kicks_the_pcs_on_every_gateway_with_reason_mobile_kick_and_the_user_goes_offline()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        Assert.True((await cluster.GatewayA.NextBroadcastAsync(user)).Online);
        var phone = await cluster.GatewayB.LoginAsync(user, DeviceType.Android);

        Assert.Equal(1, await cluster.Grains.GetUserGrain(user).KickPcAsync());

        Assert.Equal(KickReason.MobileKick, await pc.Kicked.WaitAsync(TestConnection.Timeout));
        Assert.False(phone.IsKicked);
        var presence = await cluster.Grains.GetUserGrain(user).GetPresenceAsync();
        Assert.Equal((false, 0, 1), (presence.PcOnline, presence.PcConnections, presence.MobileConnections));
        Assert.False((await cluster.GatewayA.NextBroadcastAsync(user)).Online);
        Assert.Empty(await cluster.Grains.GetGrain<IPresenceGrain>(0).GetPcOnlineAsync([user]));
        Assert.Equal(new PcLoginStatusPush(user, Online: false), await phone.NextAsync<PcLoginStatusPush>());
    }

    [Fact]
    public async Task A_mobile_kick_without_a_pc_kicks_nothing()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var phone = await cluster.GatewayA.LoginAsync(user, DeviceType.Ios);

        Assert.Equal(0, await cluster.Grains.GetUserGrain(user).KickPcAsync());

        Assert.False(phone.IsKicked);
        await cluster.AssertNothingElseAsync(phone);
    }
}
