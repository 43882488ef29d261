namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>A user as <c>GET /api/v1/users/{id}</c> answers it (never the password).</summary>
public sealed record UserResponse(
    uint Id,
    string Name,
    string Nick,
    uint DepartmentId,
    uint Sex,
    string Phone,
    string Email,
    string Avatar,
    string SignInfo,
    uint Status,
    uint Updated);
