using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// Delivery from a conversation is at least once: a member whose User grain call fails (its silo died) gets the
/// messages when the retry is due, in id order, while the other members and the acknowledgement are not held up.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DeliveryRetryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_group_member_whose_delivery_fails_gets_the_messages_later_in_order_and_the_others_at_once()
    {
        var users = await cluster.NewUsersAsync(3);
        var groupId = await cluster.CreateGroupAsync(users[0], users);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        var healthy = await cluster.GatewayA.LoginAsync(users[1], DeviceType.Windows);
        var failing = await cluster.GatewayB.LoginAsync(users[2], DeviceType.Android);
        var retries = cluster.Clock.Armed(ClusterFixture.DeliveryRetryBackoff);
        cluster.Faults.FailNext(users[2], 1);

        var first = await cluster.SendToGroupAsync(sender, groupId, "one");
        var second = await cluster.SendToGroupAsync(sender, groupId, "two");

        Assert.Equal(SendStatus.Committed, first.Status);
        Assert.Equal(SendStatus.Committed, second.Status);
        Assert.Equal([first.MsgId, second.MsgId], (await healthy.TakeAsync<MessagePush>(2)).Select(m => m.MsgId));
        await cluster.AssertNothingElseAsync(healthy, failing);

        await cluster.Clock.WaitArmedAsync(ClusterFixture.DeliveryRetryBackoff, retries + 1);
        cluster.Clock.Advance(ClusterFixture.DeliveryRetryBackoff);

        Assert.Equal([first.MsgId, second.MsgId], (await failing.TakeAsync<MessagePush>(2)).Select(m => m.MsgId));
        await cluster.AssertNothingElseAsync(sender, healthy, failing);
    }

    [Fact]
    public async Task A_receiver_whose_delivery_keeps_failing_gets_every_message_once_in_order_when_it_recovers()
    {
        var users = await cluster.NewUsersAsync(2);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        var otherDevice = await cluster.GatewayB.LoginAsync(users[0], DeviceType.Android);
        var receiver = await cluster.GatewayB.LoginAsync(users[1], DeviceType.Windows);
        TimeSpan[] dues = [ClusterFixture.DeliveryRetryBackoff, ClusterFixture.DeliveryRetryBackoff * 2, ClusterFixture.DeliveryRetryBackoff * 4];
        var armed = dues.Select(cluster.Clock.Armed).ToArray();
        cluster.Faults.FailNext(users[1], 3);

        var sent = new List<uint>();
        for (var i = 0; i < 5; i++)
        {
            var result = await cluster.SendAsync(sender, users[1], $"m{i}");
            Assert.Equal(SendStatus.Committed, result.Status);
            sent.Add(result.MsgId);
        }

        // The sender's other device is not held up by the receiver.
        Assert.Equal(sent, (await otherDevice.TakeAsync<MessagePush>(5)).Select(m => m.MsgId));

        // Three failed calls, each followed by a doubled backoff: the third retry succeeds.
        for (var i = 0; i < 3; i++)
        {
            await cluster.Clock.WaitArmedAsync(dues[i], armed[i] + 1);
            cluster.Clock.Advance(dues[i]);
        }

        Assert.Equal(sent, (await receiver.TakeAsync<MessagePush>(5)).Select(m => m.MsgId));
        await cluster.AssertNothingElseAsync(sender, otherDevice, receiver);
    }

    [Fact]
    public async Task A_push_lost_with_a_dead_silo_is_cut_after_the_grace_and_retried_so_the_receiver_gets_it_once()
    {
        var users = await cluster.NewUsersAsync(2);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        var receiver = await cluster.GatewayB.LoginAsync(users[1], DeviceType.Windows);
        var graces = cluster.Clock.Armed(ClusterFixture.SiloLossGrace);
        var retries = cluster.Clock.Armed(ClusterFixture.DeliveryRetryBackoff);
        var (firstLost, stopLosing) = cluster.GatewayB.LosePushes();

        // Stopped in any case: while pushes are lost, every later call to gateway B (later tests' too) waits behind them.
        try
        {
            // The push to the receiver's gateway is on its way (and will never be answered) when a silo is declared dead.
            var sending = cluster.SendAsync(sender, users[1], "carried by a dead silo");
            await firstLost.WaitAsync(TestConnection.Timeout);
            cluster.Router.SiloLost();
            await cluster.Clock.WaitArmedAsync(ClusterFixture.SiloLossGrace, graces + 1);
            cluster.Clock.Advance(ClusterFixture.SiloLossGrace);

            // Cut instead of waiting out the 30 s call timeout: the conversation retries after its backoff.
            await cluster.Clock.WaitArmedAsync(ClusterFixture.DeliveryRetryBackoff, retries + 1);
            stopLosing();
            cluster.Clock.Advance(ClusterFixture.DeliveryRetryBackoff);

            var sent = await sending;
            Assert.Equal(SendStatus.Committed, sent.Status);
            Assert.Equal(sent.MsgId, (await receiver.TakeAsync<MessagePush>(1)).Single().MsgId);
            await cluster.AssertNothingElseAsync(sender, receiver);
        }
        finally
        {
            stopLosing();
        }
    }
}
