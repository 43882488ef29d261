using MySqlConnector;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>What every phone sends in its first minute, over real TCP: its push token and the push shield.</summary>
[Collection(DevClusterCollection.Name)]
public sealed class DeviceTests(DevClusterFixture fixture)
{
    private GatewayHandle Gateway => fixture.Gateway;

    [Fact]
    public async Task A_phones_token_is_stored_with_the_connections_type_and_the_reply_carries_the_user_id()
    {
        var ids = await fixture.Cluster.Database.SeedUsersAsync(["tokenuser1", "tokenuser2"]);
        var token = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

        await using (var phone = await Clients.LoginAsync(Gateway, "tokenuser1", ClientType.Ios))
        {
            await RegisterAsync(phone, token, ids[0]);
            Assert.Equal((ids[0], (uint)ClientType.Ios), await StoredAsync(token));

            // A PC of the same user logs in and out: the phone's token stays (the original cleared it, defect 26).
            await using var pc = await Clients.LoginAsync(Gateway, "tokenuser1", ClientType.Windows);
            await pc.SendAsync(CommandKeys.LogoutRequest, new IMLogoutReq());
            Assert.NotNull(await pc.ReceiveAsync(CommandKeys.LogoutResponse, Clients.Reply));
            Assert.True(await pc.WaitClosedAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal((ids[0], (uint)ClientType.Ios), await StoredAsync(token));
        }

        // The same phone logs in as another user: the token moves.
        await using var again = await Clients.LoginAsync(Gateway, "tokenuser2", ClientType.Ios);
        await RegisterAsync(again, token, ids[1]);
        Assert.Equal((ids[1], (uint)ClientType.Ios), await StoredAsync(token));
    }

    [Fact]
    public async Task A_phones_logout_clears_its_token_a_pc_logout_or_a_dropped_phone_does_not()
    {
        var ids = await fixture.Cluster.Database.SeedUsersAsync(["logoutphone"]);
        var token = Guid.NewGuid().ToString("N");

        // The phone registers and then drops its connection without logging out: the token stays.
        await using (var phone = await Clients.LoginAsync(Gateway, "logoutphone", ClientType.Android))
        {
            await RegisterAsync(phone, token, ids[0]);
        }

        // A PC of the same user logs in and out: the token stays (the original cleared it, defect 26).
        await using (var pc = await Clients.LoginAsync(Gateway, "logoutphone", ClientType.Windows))
        {
            await LogoutAsync(pc);
        }

        Assert.Equal((ids[0], (uint)ClientType.Android), await StoredAsync(token));

        // The phone logs in again and logs out: the reply follows the token's removal.
        await using var again = await Clients.LoginAsync(Gateway, "logoutphone", ClientType.Android);
        await LogoutAsync(again);
        Assert.Null(await StoredAsync(token));
    }

    [Fact]
    public async Task A_pc_connections_token_is_ignored_without_a_reply()
    {
        var ids = await fixture.Cluster.Database.SeedUsersAsync(["tokenpc"]);
        await using var pc = await Clients.LoginAsync(Gateway, "tokenpc", ClientType.Mac);
        var token = Guid.NewGuid().ToString("N");

        await pc.SendAsync(CommandKeys.DeviceTokenRequest, new IMDeviceTokenReq { UserId = ids[0], DeviceToken = token });

        // Frames of a connection are handled one at a time: the time reply comes after any token reply.
        await Markers.AssertNoneBeforeRoundTripAsync(pc, Markers.Command(CommandKeys.DeviceTokenResponse), "a PC's device token");
        Assert.Null(await StoredAsync(token));
    }

    [Fact]
    public async Task The_push_shield_is_set_then_queried_and_kept_for_the_next_login()
    {
        var ids = await fixture.Cluster.Database.SeedUsersAsync(["shielduser"]);
        await using (var phone = await Clients.LoginAsync(Gateway, "shielduser", ClientType.Android))
        {
            var seq = await phone.SendAsync(CommandKeys.PushShieldRequest, new IMPushShieldReq { UserId = 0, ShieldStatus = 1 });
            var set = await phone.ReceiveAsync(CommandKeys.PushShieldResponse, Clients.Reply);
            Assert.NotNull(set);
            Assert.Equal(seq, set.Header.SeqNum);
            var body = set.Parse<IMPushShieldRsp>();
            Assert.Equal((ids[0], 0u, true, 1u), (body.UserId, body.ResultCode, body.HasShieldStatus, body.ShieldStatus));
            Assert.Equal(1u, await QueryAsync(phone, ids[0]));
        }

        await using var later = await Clients.LoginAsync(Gateway, "shielduser", ClientType.Windows);
        Assert.Equal(1u, await QueryAsync(later, ids[0]));
    }

    private static async Task LogoutAsync(TeamTalkClient client)
    {
        var seq = await client.SendAsync(CommandKeys.LogoutRequest, new IMLogoutReq());
        var reply = await client.ReceiveAsync(CommandKeys.LogoutResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal((seq, 0u), (reply.Header.SeqNum, reply.Parse<IMLogoutRsp>().ResultCode));
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(5)));
    }

    private static async Task RegisterAsync(TeamTalkClient phone, string token, uint userId)
    {
        // The request's client type is not the one stored: the connection's is.
        var seq = await phone.SendAsync(CommandKeys.DeviceTokenRequest, new IMDeviceTokenReq { UserId = 0, DeviceToken = token, ClientType = ClientType.Android });
        var reply = await phone.ReceiveAsync(CommandKeys.DeviceTokenResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal(seq, reply.Header.SeqNum);
        Assert.Equal(userId, reply.Parse<IMDeviceTokenRsp>().UserId);
    }

    private static async Task<uint> QueryAsync(TeamTalkClient client, uint userId)
    {
        var seq = await client.SendAsync(CommandKeys.QueryPushShieldRequest, new IMQueryPushShieldReq { UserId = 0 });
        var reply = await client.ReceiveAsync(CommandKeys.QueryPushShieldResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal(seq, reply.Header.SeqNum);
        var body = reply.Parse<IMQueryPushShieldRsp>();
        Assert.Equal((userId, 0u, true), (body.UserId, body.ResultCode, body.HasShieldStatus));
        return body.ShieldStatus;
    }

    private async Task<(uint UserId, uint ClientType)?> StoredAsync(string token)
    {
        await using var connection = new MySqlConnection(fixture.Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new MySqlCommand("SELECT userId, clientType FROM TeamTalkDeviceToken WHERE token = @t", connection);
        query.Parameters.AddWithValue("@t", token);
        await using var reader = await query.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetUInt32(0), reader.GetUInt32(1)) : null;
    }
}
