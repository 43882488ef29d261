using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Push;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>
/// A push provider that records what the silo sends it (tests of the push decision). Tokens that start with
/// <see cref="GonePrefix"/> are answered as invalid, as APNs answers 410.
/// </summary>
public sealed class RecordingPushProvider(DeviceType device) : IPushProvider
{
    public const string GonePrefix = "gone-";

    private readonly Lock gate = new();
    private readonly List<PushNotification> received = [];
    private readonly List<(Func<PushNotification, bool> Match, TaskCompletionSource<PushNotification> Done)> waiters = [];

    public string Name => "recording-" + Device;

    public DeviceType Device { get; } = device;

    public Task<PushResult[]> SendAsync(IReadOnlyList<PushNotification> batch, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            foreach (var notification in batch)
            {
                received.Add(notification);
                waiters.RemoveAll(w => w.Match(notification) && w.Done.TrySetResult(notification));
            }
        }

        return Task.FromResult(batch.Select(n => n.Token.StartsWith(GonePrefix, StringComparison.Ordinal) ? PushResult.Invalid("410 Unregistered") : PushResult.Delivered).ToArray());
    }

    /// <summary>Everything received so far for <paramref name="token"/>.</summary>
    public PushNotification[] For(string token)
    {
        lock (gate)
        {
            return [.. received.Where(n => n.Token == token)];
        }
    }

    /// <summary>The first notification (received already or later) that matches; fails after <see cref="TestConnection.Timeout"/>.</summary>
    public async Task<PushNotification> WaitForAsync(Func<PushNotification, bool> match)
    {
        var done = new TaskCompletionSource<PushNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (received.FirstOrDefault(match) is { } seen)
            {
                return seen;
            }

            waiters.Add((match, done));
        }

        return await done.Task.WaitAsync(TestConnection.Timeout);
    }
}
