using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>The <c>CID_MSG_DATA</c> rate limit: a fixed one-second window on the gateway's clock.</summary>
public sealed class RateWindowTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void At_most_the_limit_is_accepted_per_window_and_the_excess_is_counted_once()
    {
        var window = new RateWindow(time);
        var start = time.GetTimestamp();
        Assert.True(window.TryAccept(start, 2));
        Assert.True(window.TryAccept(start, 2));
        Assert.False(window.TryAccept(start, 2));

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(window.TryAccept(time.GetTimestamp(), 2));
        Assert.Equal(2, window.TakeDropped());
        Assert.Equal(0, window.TakeDropped());

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(window.TryAccept(time.GetTimestamp(), 2), "a new window opens a second after the last one");
    }
}
