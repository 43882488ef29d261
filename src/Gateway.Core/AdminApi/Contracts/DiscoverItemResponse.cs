namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>A discover item as <c>/api/v1/discovery</c> shows it (status 0 shown, 1 hidden; times in Unix seconds).</summary>
public sealed record DiscoverItemResponse(uint Id, string Name, string Url, uint Priority, uint Status, uint Created, uint Updated);
