namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>A group as <c>GET /api/v1/groups/{id}</c> answers it, with its members in join order.</summary>
public sealed record GroupResponse(uint Id, string Name, string Avatar, uint CreatorId, string Type, uint Version, IReadOnlyList<uint> Members);
