using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>
/// A push service for one kind of phone (APNs for iOS, FCM for Android). Register one per <see cref="Device"/>; a
/// device type without a provider gets no pushes (counted as skipped).
/// </summary>
public interface IPushProvider
{
    /// <summary>The provider in logs and metrics ("apns", "fcm").</summary>
    string Name { get; }

    /// <summary>The phones it serves.</summary>
    DeviceType Device { get; }

    /// <summary>
    /// Sends a batch; returns one result per notification, in order. Retries (5xx, 429 with <c>Retry-After</c>) are the
    /// provider's; a notification it could not deliver is a <see cref="PushOutcome.Failed"/> result, not an exception.
    /// </summary>
    Task<PushResult[]> SendAsync(IReadOnlyList<PushNotification> batch, CancellationToken cancellationToken);
}
