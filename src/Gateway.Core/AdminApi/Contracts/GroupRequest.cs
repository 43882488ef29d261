namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The body of <c>POST /api/v1/groups</c>: all required but avatar; type "normal" or "temporary".</summary>
public sealed class GroupRequest
{
    public string? Name { get; set; }

    public uint? CreatorId { get; set; }

    public IList<uint>? MemberIds { get; init; }

    public string? Type { get; set; }

    public string? Avatar { get; set; }
}
