using System.Globalization;

namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// Fields of a discover item the back-office sets: on creation name and URL are required (priority 0 and status 0 when
/// absent); on a change only the fields set are written.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DiscoverItemFields(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Url,
    [property: Id(2)] uint? Priority,
    [property: Id(3)] uint? Status)
{
    /// <summary>True when no field is set.</summary>
    public bool IsEmpty => Name is null && Url is null && Priority is null && Status is null;

    /// <summary>The first rule a set field breaks ("field: problem"), or null.</summary>
    public string? Check()
    {
        if (Name is not null && (Name.Trim().Length == 0 || Name.Length > DiscoverItem.MaxTextChars))
        {
            return string.Create(CultureInfo.InvariantCulture, $"name: must be 1 to {DiscoverItem.MaxTextChars} characters");
        }

        if (Url is not null && (Url.Length > DiscoverItem.MaxTextChars
                                || !Uri.TryCreate(Url, UriKind.Absolute, out var uri)
                                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            return string.Create(CultureInfo.InvariantCulture, $"url: must be an absolute http or https URL of at most {DiscoverItem.MaxTextChars} characters");
        }

        return Status is null or DiscoverItem.Shown or DiscoverItem.Hidden ? null : "status: must be 0 (shown) or 1 (hidden)";
    }
}
