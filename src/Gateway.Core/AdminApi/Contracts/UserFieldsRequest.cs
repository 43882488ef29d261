namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>
/// The body of <c>POST /api/v1/users</c> (name, password, nick and departmentId required) and of
/// <c>PATCH /api/v1/users/{id}</c> (any field, status included). Absent and null fields are not set.
/// </summary>
public sealed class UserFieldsRequest
{
    public string? Name { get; set; }

    /// <summary>The plain password; stored salted as the PHP admin stores it.</summary>
    public string? Password { get; set; }

    public string? Nick { get; set; }

    public uint? DepartmentId { get; set; }

    /// <summary>0 unknown, 1 male, 2 female.</summary>
    public uint? Sex { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Avatar { get; set; }

    public string? SignInfo { get; set; }

    /// <summary>PATCH only: 0, 1 trial, 2 regular, 3 left (kicked, logins refused), 4 intern.</summary>
    public uint? Status { get; set; }
}
