using System.Text.Json;

namespace TeamTalk.Orleans.PushFake;

/// <summary>A push the fake provider accepted.</summary>
/// <param name="Provider">"apns" or "fcm".</param>
/// <param name="Token">The device token it was sent to.</param>
/// <param name="Body">The JSON body (APNs: the payload; FCM: the <c>message</c> object).</param>
public sealed record FakePush(string Provider, string Token, JsonElement Body);
