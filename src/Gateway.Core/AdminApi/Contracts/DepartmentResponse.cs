namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>A department as <c>GET /api/v1/departments</c> lists it (status 0 normal, 1 deleted).</summary>
public sealed record DepartmentResponse(uint Id, string Name, uint ParentId, uint Priority, uint Status, uint Updated);
