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
    private TaskCompletionSource? stall;
    private TaskCompletionSource stalledCall = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "recording-" + Device;

    public DeviceType Device { get; } = device;

    /// <summary>Completes when a call is held by <see cref="Stall"/>.</summary>
    public Task StalledCall => stalledCall.Task;

    /// <summary>From now on calls do not return until <see cref="Resume"/> (a push server that does not answer).</summary>
    public void Stall()
    {
        lock (gate)
        {
            stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            stalledCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Held calls return; new ones are answered at once.</summary>
    public void Resume()
    {
        lock (gate)
        {
            stall?.TrySetResult();
            stall = null;
        }
    }

    public async Task<PushResult[]> SendAsync(IReadOnlyList<PushNotification> batch, CancellationToken cancellationToken)
    {
        Task? held;
        lock (gate)
        {
            held = stall?.Task;
            if (held is not null)
            {
                stalledCall.TrySetResult();
            }
        }

        if (held is not null)
        {
            await held.WaitAsync(cancellationToken);
        }

        lock (gate)
        {
            foreach (var notification in batch)
            {
                received.Add(notification);
                waiters.RemoveAll(w => w.Match(notification) && w.Done.TrySetResult(notification));
            }
        }

        return [.. batch.Select(n => n.Token.StartsWith(GonePrefix, StringComparison.Ordinal) ? PushResult.Invalid("410 Unregistered") : PushResult.Delivered)];
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
