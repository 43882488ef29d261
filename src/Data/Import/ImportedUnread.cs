namespace TeamTalk.Orleans.Data.Import;

/// <summary>A field of the original's <c>unread_&lt;uid&gt;</c> hash: <paramref name="UserId"/> has <paramref name="Count"/> unread messages from <paramref name="PeerId"/>.</summary>
public sealed record ImportedUnread(uint UserId, uint PeerId, uint Count);
