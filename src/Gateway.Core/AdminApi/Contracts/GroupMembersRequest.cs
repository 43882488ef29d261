namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The body of <c>POST /api/v1/groups/{id}/members</c>: ids to add, then ids to remove (either may be absent, not both).</summary>
public sealed class GroupMembersRequest
{
    public IList<uint>? Add { get; init; }

    public IList<uint>? Remove { get; init; }
}
