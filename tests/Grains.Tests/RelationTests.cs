using System.Text;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>The Relation grain's history and its refusal of unknown peers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RelationTests(ClusterFixture cluster)
{
    [Fact]
    public async Task History_by_page_by_ids_and_latest_is_for_the_two_users_only()
    {
        var users = await cluster.NewUsersAsync(3);
        var (a, b, stranger) = (users[0], users[1], users[2]);
        var aPc = await cluster.GatewayA.LoginAsync(a, DeviceType.Windows);
        var bPhone = await cluster.GatewayB.LoginAsync(b, DeviceType.Ios);
        await cluster.SendAsync(aPc, b, "one");
        await cluster.SendAsync(bPhone, a, "two");
        await cluster.SendAsync(aPc, b, "three");
        var relation = cluster.Grains.GetRelationGrain(b, a);

        var history = await relation.GetHistoryAsync(b, 0, 10);

        Assert.Equal([(3u, a, "three"), (2u, b, "two"), (1u, a, "one")], history.Select(m => (m.MsgId, m.FromUserId, Encoding.UTF8.GetString(m.Data))));
        Assert.Equal([2u], (await relation.GetHistoryAsync(a, 2, 1)).Select(m => m.MsgId));
        Assert.Equal([3u, 1u], (await relation.GetByIdsAsync(a, [1, 3, 99])).Select(m => m.MsgId));
        Assert.Equal(3u, (await relation.GetLatestAsync(a))!.MsgId);
        Assert.Empty(await relation.GetHistoryAsync(stranger, 0, 10));
        Assert.Empty(await relation.GetByIdsAsync(stranger, [1, 2, 3]));
        Assert.Null(await relation.GetLatestAsync(stranger));
    }

    [Fact]
    public async Task A_message_to_a_user_that_does_not_exist_is_not_stored()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        const uint NoSuchUser = 4_000_000_000;

        var result = await cluster.SendAsync(pc, NoSuchUser, "anyone?");

        Assert.Equal(new SendResult(SendStatus.UnknownPeer, 0, 0), result);
        Assert.Empty(await cluster.Grains.GetRelationGrain(user, NoSuchUser).GetHistoryAsync(user, 0, 10));
    }
}
