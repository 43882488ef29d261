namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The members after a change, and who was actually added and removed (members already in, or not in, are left out).</summary>
public sealed record GroupMembersResponse(IReadOnlyList<uint> Members, IReadOnlyList<uint> Added, IReadOnlyList<uint> Removed);
