using System.Globalization;

namespace TeamTalk.Orleans.Admin.Import;

/// <summary>The original's Redis key names (behaviour.md 3.1.2) and the ids inside them.</summary>
internal static class RedisKeyNames
{
    public const string UnreadPrefix = "unread_";
    public const string MembersPrefix = "group_member_";
    public const string ShieldsPrefix = "group_set_";
    public const string DevicePrefix = "device_";
    public const string GroupCountSuffix = "_im_group_msg";
    public const string UserGroupSuffix = "_im_user_group";
    public const string ShieldFieldSuffix = "_1";
    public const string CountField = "count";

    /// <summary>A decimal id as the original writes it (digits only, fits 32 bits unsigned).</summary>
    public static bool TryId(ReadOnlySpan<char> text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    /// <summary><c>&lt;uid&gt;_&lt;gid&gt;_im_user_group</c> → (uid, gid).</summary>
    public static bool TryUserGroup(string key, out uint user, out uint group)
    {
        (user, group) = (0, 0);
        var ids = key.AsSpan(0, key.Length - UserGroupSuffix.Length);
        var split = ids.IndexOf('_');
        return split > 0 && TryId(ids[..split], out user) && TryId(ids[(split + 1)..], out group);
    }
}
