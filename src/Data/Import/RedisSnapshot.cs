namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// What an original TeamTalk deployment kept in Redis and nowhere else (behaviour.md 3.1.2), read once for
/// <see cref="RedisImporter"/>; <see cref="Rejected"/> lists keys whose name or value could not be understood.
/// </summary>
public sealed record RedisSnapshot(
    IReadOnlyList<ImportedMembers> Members,
    IReadOnlyList<ImportedUnread> Unread,
    IReadOnlyList<ImportedGroupRead> GroupReads,
    IReadOnlyList<ImportedToken> Tokens,
    IReadOnlyList<ImportedShield> Shields,
    IReadOnlyList<string> Rejected)
{
    /// <summary>True when not one TeamTalk key was found (a wrong server or database number, most likely).</summary>
    public bool IsEmpty => Members.Count == 0 && Unread.Count == 0 && GroupReads.Count == 0 && Tokens.Count == 0 && Shields.Count == 0;
}
