namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// The original's <c>device_&lt;uid&gt;</c> value <c>ios:&lt;token&gt;</c> or <c>android:&lt;token&gt;</c>
/// (<paramref name="ClientType"/> 0x11 or 0x12), with the user the reverse key <c>device_&lt;token&gt;</c> names
/// (null when it is missing, empty or not a number).
/// </summary>
public sealed record ImportedToken(uint UserId, string Token, uint ClientType, uint? ReverseUserId);
