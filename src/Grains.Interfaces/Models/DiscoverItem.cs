namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// A row of <c>IMDiscovery</c>: a link clients show in their discover tab. Status 0 is shown, 1 hidden (the original
/// PHP admin's "delete"); <see cref="Created"/> and <see cref="Updated"/> are Unix seconds.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DiscoverItem(
    [property: Id(0)] uint Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Url,
    [property: Id(3)] uint Priority,
    [property: Id(4)] uint Status,
    [property: Id(5)] uint Created,
    [property: Id(6)] uint Updated)
{
    /// <summary><c>itemName</c> and <c>itemUrl</c> are <c>VARCHAR(64)</c>.</summary>
    public const int MaxTextChars = 64;

    /// <summary>The status of an item clients are shown.</summary>
    public const uint Shown = 0;

    /// <summary>The status of a hidden (deleted) item.</summary>
    public const uint Hidden = 1;
}
