using TeamTalk.Orleans.Grains.Conversations;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>Committed messages leave strictly in id order, in runs, whatever order their commits complete in.</summary>
public sealed class OrderedDeliveryTests
{
    private readonly List<List<uint>> runs = [];

    [Fact]
    public async Task A_message_waits_for_every_lower_id_then_the_ready_ones_go_as_one_run()
    {
        var outbox = new OrderedDelivery<uint>(5, (_, _) => true, Record);

        await outbox.CommittedAsync(6, 6);
        await outbox.CommittedAsync(7, 7);
        Assert.Empty(runs);

        await outbox.CommittedAsync(5, 5);
        Assert.Equal([[5u, 6, 7]], runs);
    }

    [Fact]
    public async Task An_abandoned_id_releases_the_ones_after_it()
    {
        var outbox = new OrderedDelivery<uint>(1, (_, _) => true, Record);

        await outbox.CommittedAsync(2, 2);
        await outbox.AbandonedAsync(1);
        await outbox.CommittedAsync(3, 3);

        Assert.Equal([[2u], [3u]], runs);
    }

    [Fact]
    public async Task A_run_ends_where_the_next_message_may_not_join_it()
    {
        var outbox = new OrderedDelivery<uint>(1, (head, next) => head % 2 == next % 2, Record);

        await outbox.CommittedAsync(2, 2);
        await outbox.CommittedAsync(3, 4);
        await outbox.CommittedAsync(1, 1);

        Assert.Equal([[1u], [2u, 4]], runs);
    }

    [Fact]
    public async Task Messages_committed_while_a_run_is_out_go_in_the_next_run_in_order()
    {
        var release = new TaskCompletionSource();
        var outbox = new OrderedDelivery<uint>(1, (_, _) => true, async run =>
        {
            runs.Add(run);
            if (runs.Count == 1)
            {
                await release.Task;
            }
        });

        var first = outbox.CommittedAsync(1, 1);
        await outbox.CommittedAsync(3, 3);
        await outbox.CommittedAsync(2, 2);
        Assert.Single(runs);
        release.SetResult();
        await first;

        Assert.Equal([[1u], [2u, 3]], runs);
    }

    [Fact]
    public async Task A_run_holds_at_most_the_maximum()
    {
        var big = new OrderedDelivery<uint>(1, (_, _) => true, Record);
        for (uint id = 2; id <= RunDelivery.MaxRun + 10; id++)
        {
            await big.CommittedAsync(id, id);
        }

        await big.CommittedAsync(1, 1);
        Assert.Equal([RunDelivery.MaxRun, 10], runs.Select(r => r.Count));
    }

    private Task Record(List<uint> run)
    {
        runs.Add(run);
        return Task.CompletedTask;
    }
}
