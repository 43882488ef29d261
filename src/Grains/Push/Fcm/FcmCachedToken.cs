namespace TeamTalk.Orleans.Grains.Push.Fcm;

/// <summary>An access token and when it is to be replaced.</summary>
internal sealed record FcmCachedToken(string Token, DateTimeOffset RefreshAt);
