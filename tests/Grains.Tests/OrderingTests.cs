using System.Globalization;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// Invariants 2 and 3 under concurrency: ids 1..N without a gap, and every connection of every party but the sending
/// one gets every message exactly once, in strictly increasing id order.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OrderingTests(ClusterFixture cluster)
{
    private const int MessagesPerConnection = 40;

    [Fact]
    public async Task Concurrent_messages_of_a_pair_reach_every_other_connection_once_in_id_order()
    {
        var users = await cluster.NewUsersAsync(2);
        var connections = await LoginEverywhereAsync(users);

        var sent = await SendConcurrentlyAsync(connections, from => cluster.SendAsync(from, users.Single(u => u != from.UserId), Text(from)));

        await AssertEveryOtherConnectionGotAllInOrderAsync(connections, sent, marker => cluster.SendAsync(marker, users.Single(u => u != marker.UserId), "marker"));
    }

    [Fact]
    public async Task Concurrent_messages_of_a_group_reach_every_other_connection_of_every_member_once_in_id_order()
    {
        var users = await cluster.NewUsersAsync(3);
        var groupId = await cluster.CreateGroupAsync(users[0], users);
        var connections = await LoginEverywhereAsync(users);

        var sent = await SendConcurrentlyAsync(connections, from => cluster.SendToGroupAsync(from, groupId, Text(from)));

        await AssertEveryOtherConnectionGotAllInOrderAsync(connections, sent, marker => cluster.SendToGroupAsync(marker, groupId, "marker"));
    }

    private static string Text(TestConnection from) => from.Ref.ConnectionId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A PC on one gateway and a mobile on the other for each user.</summary>
    private async Task<List<TestConnection>> LoginEverywhereAsync(uint[] users)
    {
        var connections = new List<TestConnection>();
        foreach (var user in users)
        {
            connections.Add(await cluster.GatewayA.LoginAsync(user, DeviceType.Windows));
            connections.Add(await cluster.GatewayB.LoginAsync(user, DeviceType.Android));
        }

        return connections;
    }

    /// <summary>Every connection sends its messages at once, all connections together; returns each message's id and sending connection.</summary>
    private static async Task<List<(uint MsgId, TestConnection From)>> SendConcurrentlyAsync(
        List<TestConnection> connections, Func<TestConnection, Task<SendResult>> send)
    {
        var sends = connections
            .SelectMany(c => Enumerable.Range(0, MessagesPerConnection).Select(_ => (From: c, Result: send(c))))
            .ToList();
        await Task.WhenAll(sends.Select(s => s.Result));

        var sent = sends.Select(s => (s.Result.Result.MsgId, s.From)).OrderBy(s => s.MsgId).ToList();
        Assert.All(sends, s => Assert.Equal(SendStatus.Committed, s.Result.Result.Status));
        Assert.Equal(Enumerable.Range(1, sent.Count).Select(i => (uint)i), sent.Select(s => s.MsgId));
        return sent;
    }

    /// <summary>
    /// Each connection receives exactly the messages it did not send, in id order; then two markers (one from each of
    /// two connections) prove that nothing else was on its way: each connection's next push is the marker it may get.
    /// </summary>
    private static async Task AssertEveryOtherConnectionGotAllInOrderAsync(
        List<TestConnection> connections, List<(uint MsgId, TestConnection From)> sent, Func<TestConnection, Task<SendResult>> sendMarker)
    {
        foreach (var connection in connections)
        {
            var expected = sent.Where(s => s.From != connection).Select(s => s.MsgId).ToList();
            var received = await connection.TakeAsync<MessagePush>(expected.Count);
            Assert.Equal(expected, received.Select(p => p.MsgId));
            Assert.All(received, p => Assert.Equal(sent[(int)p.MsgId - 1].From.UserId, p.FromUserId));
        }

        var (first, second) = (connections[0], connections[^1]);
        var firstMarker = await sendMarker(first);
        var secondMarker = await sendMarker(second);
        foreach (var connection in connections)
        {
            uint[] markers = connection == first ? [secondMarker.MsgId] : connection == second ? [firstMarker.MsgId] : [firstMarker.MsgId, secondMarker.MsgId];
            Assert.Equal(markers, (await connection.TakeAsync<MessagePush>(markers.Length)).Select(p => p.MsgId));
        }
    }
}
