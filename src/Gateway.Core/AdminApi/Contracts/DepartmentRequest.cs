namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The body of <c>POST /api/v1/departments</c>: name and parentId (0 for top level) required, priority 0 when absent.</summary>
public sealed class DepartmentRequest
{
    public string? Name { get; set; }

    public uint? ParentId { get; set; }

    public uint? Priority { get; set; }
}
