namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>
/// The body of <c>POST /api/v1/discovery</c> (name and url required; priority 0 and status 0 when absent) and of
/// <c>PATCH /api/v1/discovery/{id}</c> (only the fields given change). Status 0 is shown to clients, 1 hidden.
/// </summary>
public sealed class DiscoverItemRequest
{
    /// <summary>What clients show (<c>itemName</c>, at most 64 characters).</summary>
    public string? Name { get; set; }

    /// <summary>Where it leads (<c>itemUrl</c>): an absolute http or https URL of at most 64 characters.</summary>
    public string? Url { get; set; }

    /// <summary>Sort key clients order the items by (<c>itemPriority</c>).</summary>
    public uint? Priority { get; set; }

    /// <summary>0 shown, 1 hidden.</summary>
    public uint? Status { get; set; }
}
