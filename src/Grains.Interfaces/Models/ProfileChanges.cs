namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// The limits of the profile fields a user changes from a client: the widths of their <c>IMUser</c> columns, in
/// characters (Unicode code points, as MySQL counts a utf8mb4 <c>VARCHAR</c>).
/// </summary>
public static class ProfileLimits
{
    /// <summary><c>IMUser.sign_info</c> is <c>VARCHAR(128)</c>.</summary>
    public const int SignInfo = 128;

    /// <summary><c>IMUser.avatar</c> is <c>VARCHAR(255)</c>.</summary>
    public const int Avatar = 255;
}

/// <summary>A user changed its signature (<c>IMSignInfoChangedNotify</c>, to every logged-in connection of the organisation).</summary>
[GenerateSerializer, Immutable]
public sealed record SignInfoChangedPush([property: Id(0)] uint UserId, [property: Id(1)] string SignInfo) : ClientPush;

/// <summary>A user changed its avatar (<c>IMAvatarChangedNotify</c>, to every logged-in connection of the organisation).</summary>
[GenerateSerializer, Immutable]
public sealed record AvatarChangedPush([property: Id(0)] uint UserId, [property: Id(1)] string AvatarUrl) : ClientPush;
