namespace TeamTalk.Orleans.Data.Groups;

/// <summary>What a Group grain loads when it activates. <see cref="Row"/> is null when there is no such group.</summary>
public sealed record GroupSnapshot(GroupRow? Row, GroupMember[] Members, Dictionary<uint, uint> Shields);
