namespace TeamTalk.Orleans.Data.Import;

/// <summary>The original's <c>group_set_&lt;gid&gt;</c> field <c>&lt;uid&gt;_1</c>: the member's mute flag for the group.</summary>
public sealed record ImportedShield(uint GroupId, uint UserId, uint Status);
