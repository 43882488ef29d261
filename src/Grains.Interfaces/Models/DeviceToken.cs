namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A phone's push token as registered by a logged-in mobile connection of <paramref name="UserId"/>.</summary>
/// <param name="UserId">The user the token belongs to now.</param>
/// <param name="Token">The token the phone's push service gave it (APNs for iOS, the vendor's for Android).</param>
/// <param name="Device">The device type of the connection that registered it (iOS or Android).</param>
[GenerateSerializer, Immutable]
public sealed record DeviceToken([property: Id(0)] uint UserId, [property: Id(1)] string Token, [property: Id(2)] DeviceType Device)
{
    /// <summary>The longest token stored (the width of <c>TeamTalkDeviceToken.token</c>).</summary>
    public const int MaxLength = 255;
}
