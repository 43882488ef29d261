namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The id of what a POST created (201).</summary>
public sealed record CreatedResponse(uint Id);
