namespace TeamTalk.Orleans.Data.Groups;

/// <summary>A member and the time it joined (<c>IMGroupMember.updated</c> of its active row: set on insert and on re-joining).</summary>
public readonly record struct GroupMember(uint UserId, uint Joined);
