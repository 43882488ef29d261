namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// A discover item (<c>IMDiscovery</c> row of status 0): what clients list in their discover tab, by ascending
/// <see cref="Priority"/>. <see cref="Check"/> holds the columns' rules (<c>VARCHAR(64)</c> name and URL).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DiscoveryItem(
    [property: Id(0)] uint Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Url,
    [property: Id(3)] uint Priority)
{
    /// <summary><c>IMDiscovery.itemName</c> and <c>itemUrl</c> are <c>VARCHAR(64)</c>.</summary>
    public const int MaxChars = 64;

    /// <summary>The first rule the fields break, as "field: reason"; null when none (the id is not checked).</summary>
    public string? Check() =>
        Name.Trim().Length == 0 || UserFields.Length(Name) > MaxChars ? $"name: must be 1 to {MaxChars} characters"
        : Url.Trim().Length == 0 || UserFields.Length(Url) > MaxChars ? $"url: must be 1 to {MaxChars} characters"
        : null;
}
