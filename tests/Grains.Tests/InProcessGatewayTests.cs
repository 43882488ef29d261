using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>A gateway in the silo's own process (one process per node) gets the silo's pushes by a method call.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InProcessGatewayTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Pushes_to_a_gateway_registered_in_process_go_to_its_object_and_stop_when_it_is_removed()
    {
        var gateway = cluster.NewGateway($"in-process-{Guid.NewGuid():N}");
        await gateway.AnnounceAsync();
        var counting = new CountingObserver(gateway);
        var inProcess = cluster.InProcessGateways;
        inProcess.Add(gateway.Id, counting);
        try
        {
            var users = await cluster.NewUsersAsync(2);
            var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
            var receiver = await gateway.LoginAsync(users[1], DeviceType.Android);

            await cluster.SendAsync(sender, users[1], "direct");

            Assert.Equal(1u, (await receiver.NextAsync<MessagePush>()).MsgId);
            Assert.True(counting.Pushes > 0, "the push went through the object registered in the process");

            // Removed (the gateway left): the next push takes the observer reference, and still arrives.
            inProcess.Remove(gateway.Id);
            var before = counting.Pushes;
            await cluster.SendAsync(sender, users[1], "by reference");
            Assert.Equal(2u, (await receiver.NextAsync<MessagePush>()).MsgId);
            Assert.Equal(before, counting.Pushes);
        }
        finally
        {
            inProcess.Remove(gateway.Id);
            await gateway.LeaveAsync();
        }
    }

    /// <summary>Forwards to the test gateway and counts the pushes it was handed directly.</summary>
    private sealed class CountingObserver(TestGateway inner) : IGatewayObserver
    {
        private int pushes;

        public int Pushes => Volatile.Read(ref pushes);

        public Task PushAsync(PushDelivery[] deliveries)
        {
            Interlocked.Increment(ref pushes);
            return inner.PushAsync(deliveries);
        }

        public Task KickAsync(long connectionId, uint userId, KickReason reason) => inner.KickAsync(connectionId, userId, reason);

        public Task PushToAllPcAsync(ClientPush push) => inner.PushToAllPcAsync(push);

        public Task<UserConnection[]> GetUserConnectionsAsync(uint userId) => inner.GetUserConnectionsAsync(userId);

        public Task<uint[]> FindPcOnlineAsync(uint[] userIds) => inner.FindPcOnlineAsync(userIds);

        public Task PushToAllAsync(ClientPush push) => inner.PushToAllAsync(push);
    }
}
