using System.Globalization;
using Orleans.Core.Internal;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// A User grain knows every live connection of its user even when a gateway could not tell it: a gateway that did not
/// answer when the grain activated is asked again, and one that left the live view and came back is asked again, so
/// deliveries reach the connections it holds. Until a live gateway answers, deliveries fail and the conversation
/// retries them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConnectionRecoveryTests(ClusterFixture cluster)
{
    private static readonly TimeSpan PastRouteCache = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_first_login_asks_only_the_other_gateways_and_a_second_connection_on_a_gateway_asks_it()
    {
        var users = await cluster.NewUsersAsync(1);
        var pc = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);

        // The login vouched for its own gateway (the user's only connection there); the other live gateway was asked.
        Assert.Equal((0, 1), (cluster.GatewayA.Questions(users[0]), cluster.GatewayB.Questions(users[0])));

        // The grain is lost; a second connection on the same gateway activates it: that gateway holds another, so it is asked.
        await cluster.Grains.GetUserGrain(users[0]).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var phone = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Android);

        Assert.Equal((1, 2), (cluster.GatewayA.Questions(users[0]), cluster.GatewayB.Questions(users[0])));
        var known = await cluster.Grains.GetUserGrain(users[0]).GetConnectionsAsync();
        Assert.Equal([pc.Ref, phone.Ref], known.Select(c => c.Connection).OrderBy(c => c.ConnectionId));
        Assert.True((await cluster.Grains.GetUserGrain(users[0]).GetPresenceAsync()).PcOnline);
    }

    [Fact]
    public async Task A_delivery_that_arrives_while_a_new_activation_waits_for_the_gateways_waits_for_their_answer()
    {
        var users = await cluster.NewUsersAsync(3);
        var receiver = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Android);
        var first = await cluster.GatewayA.LoginAsync(users[1], DeviceType.Windows);
        var second = await cluster.GatewayB.LoginAsync(users[2], DeviceType.Windows);
        await cluster.DeactivateAsync(cluster.Grains.GetUserGrain(users[0]));

        // The first delivery activates the receiver's grain, which asks the gateways; gateway A's answer is held.
        // Released in any case: a held answer holds up every later call to gateway A (later tests' too).
        var (asked, release) = cluster.GatewayA.HoldQuestion(users[0]);
        try
        {
            var one = cluster.SendAsync(first, users[0], "one");
            await asked.WaitAsync(TestConnection.Timeout);

            // A second conversation's delivery reaches the grain meanwhile (deliveries interleave): committed, then handed over.
            var two = cluster.SendAsync(second, users[0], "two");
            var waiting = System.Diagnostics.Stopwatch.StartNew();
            while (Convert.ToInt64(await cluster.Database.ScalarAsync(
                "SELECT COUNT(*) FROM TeamTalkUnread WHERE userId = @u AND sessionType = 1 AND peerId = @p AND unreadCount > 0",
                ("@u", users[0]), ("@p", users[2])), CultureInfo.InvariantCulture) == 0)
            {
                Assert.True(waiting.Elapsed < TestConnection.Timeout, "the second message was not committed while the first sync waited");
                await Task.Yield();
            }

            release.SetResult();
            await Task.WhenAll(one, two);
        }
        finally
        {
            release.TrySetResult();
        }

        var got = await receiver.TakeAsync<MessagePush>(2);
        Assert.Equal([users[1], users[2]], got.Select(m => m.FromUserId).Order());
        await cluster.AssertNothingElseAsync(receiver);
    }

    [Fact]
    public async Task A_gateway_that_did_not_answer_at_activation_gets_the_messages_once_it_answers()
    {
        var users = await cluster.NewUsersAsync(2);
        var gateway = cluster.NewGateway($"gw-mute-{users[0]}");
        await gateway.AnnounceAsync();
        await cluster.AdvanceAsync(PastRouteCache);
        try
        {
            var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
            var receiver = await gateway.LoginAsync(users[1], DeviceType.Android);

            // The receiver's grain is lost (as with its silo) while its gateway cannot be reached.
            gateway.Refuse(users[1]);
            await cluster.Grains.GetUserGrain(users[1]).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
            var retries = cluster.Clock.Armed(ClusterFixture.DeliveryRetryBackoff);

            var sent = await cluster.SendAsync(sender, users[1], "while the gateway is mute");
            Assert.Equal(SendStatus.Committed, sent.Status);

            gateway.Answer(users[1]);
            await cluster.Clock.WaitArmedAsync(ClusterFixture.DeliveryRetryBackoff, retries + 1);
            cluster.Clock.Advance(ClusterFixture.DeliveryRetryBackoff);

            Assert.Equal(sent.MsgId, (await receiver.TakeAsync<MessagePush>(1))[0].MsgId);
            Assert.Contains(await cluster.Grains.GetUserGrain(users[1]).GetConnectionsAsync(), c => c.Connection == receiver.Ref);
            await cluster.AssertNothingElseAsync(sender, receiver);
        }
        finally
        {
            await gateway.LeaveAsync();
        }
    }

    [Fact]
    public async Task A_gateway_that_left_the_live_view_and_came_back_has_its_connections_learned_again()
    {
        var users = await cluster.NewUsersAsync(2);
        var gateway = cluster.NewGateway($"gw-back-{users[0]}");
        await gateway.AnnounceAsync();
        try
        {
            var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
            var receiver = await gateway.LoginAsync(users[1], DeviceType.Android);

            await gateway.LeaveAsync();
            await cluster.AdvanceAsync(PastRouteCache);
            Assert.DoesNotContain(await cluster.Grains.GetUserGrain(users[1]).GetConnectionsAsync(), c => c.Connection == receiver.Ref);

            await gateway.AnnounceAsync();
            await cluster.AdvanceAsync(PastRouteCache);
            var sent = await cluster.SendAsync(sender, users[1], "after the gateway came back");
            Assert.Equal(SendStatus.Committed, sent.Status);

            Assert.Equal(sent.MsgId, (await receiver.TakeAsync<MessagePush>(1))[0].MsgId);
            await cluster.AssertNothingElseAsync(sender, receiver);
        }
        finally
        {
            await gateway.LeaveAsync();
        }
    }
}
