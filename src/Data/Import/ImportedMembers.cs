namespace TeamTalk.Orleans.Data.Import;

/// <summary>The original's <c>group_member_&lt;gid&gt;</c> hash: every member of the group with its join time (Unix seconds).</summary>
public sealed record ImportedMembers(uint GroupId, IReadOnlyDictionary<uint, uint> JoinTimes);
