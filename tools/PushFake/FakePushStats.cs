namespace TeamTalk.Orleans.PushFake;

/// <summary>What the fake providers answered so far (GET <c>/stats</c>).</summary>
/// <param name="Apns">APNs pushes accepted (200).</param>
/// <param name="Fcm">FCM pushes accepted (200).</param>
/// <param name="Invalid">Pushes answered "invalid token" (APNs 410, FCM 404 UNREGISTERED).</param>
/// <param name="Refused">Requests that failed a check (path, headers, JWT, payload), answered 400.</param>
/// <param name="Held">Requests of "slow" tokens being held right now.</param>
public sealed record FakePushStats(long Apns, long Fcm, long Invalid, long Refused, long Held);
