using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Cluster;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>
/// Conversations deliver at least once: a gateway drops, per connection, a chat message it already pushed in that
/// conversation, so the client sees each message once; one never pushed still goes, even below the newest.
/// </summary>
public sealed class PushedMessagesTests
{
    [Fact]
    public void Ids_advance_per_conversation_and_repeats_are_refused()
    {
        var pushed = new PushedMessages();

        Assert.True(pushed.TryAdvance(Pair(7, 9, 1)));
        Assert.True(pushed.TryAdvance(Pair(9, 7, 2)));
        Assert.False(pushed.TryAdvance(Pair(7, 9, 2)), "the same pair whoever sent it");
        Assert.False(pushed.TryAdvance(Pair(7, 9, 1)));
        Assert.True(pushed.TryAdvance(Pair(7, 8, 1)), "another pair has ids of its own");
        Assert.True(pushed.TryAdvance(Group(9, 1)), "a group has ids of its own, even with a user's number");
        Assert.True(pushed.TryAdvance(Group(9, 5)));
        Assert.True(pushed.TryAdvance(Group(9, 4)), "never pushed: late, not lost");
        Assert.False(pushed.TryAdvance(Group(9, 4)));
        Assert.False(pushed.TryAdvance(Group(9, 5)));
        Assert.True(pushed.TryAdvance(Pair(7, 9, 3)));
    }

    [Fact]
    public void Ids_beyond_the_window_below_the_newest_count_as_repeats()
    {
        var pushed = new PushedMessages();

        Assert.True(pushed.TryAdvance(Pair(7, 9, 10)));
        Assert.True(pushed.TryAdvance(Pair(7, 9, 10 + PushedMessages.Window - 1)));
        Assert.False(pushed.TryAdvance(Pair(7, 9, 10)), "still remembered");
        Assert.True(pushed.TryAdvance(Pair(7, 9, 11)), "never pushed, inside the window");
        Assert.True(pushed.TryAdvance(Pair(7, 9, 500)));
        Assert.False(pushed.TryAdvance(Pair(7, 9, 500 - PushedMessages.Window)), "too old to tell from a repeat");
        Assert.True(pushed.TryAdvance(Pair(7, 9, 500 - PushedMessages.Window + 1)));
    }

    [Fact]
    public async Task A_retried_run_reaches_the_client_once_in_order()
    {
        var gateway = new TestGateway();
        var test = gateway.Connect().Start().LoggedIn(9, DeviceType.Windows);
        var observer = new GatewayObserver(gateway.Registry, new GatewayIdentity(gateway.Settings), gateway.Log);
        var connections = new[] { test.Connection.Id };

        await observer.PushAsync([new PushDelivery(connections, [Pair(7, 9, 1), Pair(7, 9, 2)])]);
        // The first attempt's answer was lost: the run comes again, followed by the next one.
        await observer.PushAsync([new PushDelivery(connections, [Pair(7, 9, 1), Pair(7, 9, 2)]), new PushDelivery(connections, [Pair(7, 9, 3), Group(4, 1)])]);
        await observer.PushAsync([new PushDelivery(connections, [Group(4, 1), Pair(9, 7, 4)])]);

        var frames = await test.DrainFramesAsync();
        Assert.All(frames, f => Assert.Equal(CommandKeys.MessageData, f.Header.Command));
        Assert.Equal(
            [(false, 1u), (false, 2u), (false, 3u), (true, 1u), (false, 4u)],
            frames.Select(f => IMMsgData.Parser.ParseFrom(f.Body)).Select(m => ((int)m.MsgType >= 0x11, m.MsgId)));
    }

    private static MessagePush Pair(uint from, uint to, uint msgId) => new(from, to, msgId, 1_700_000_000, MessageType.SingleText, "hi"u8.ToArray());

    private static MessagePush Group(uint groupId, uint msgId) => new(1, groupId, msgId, 1_700_000_000, MessageType.GroupText, "hi"u8.ToArray());
}
