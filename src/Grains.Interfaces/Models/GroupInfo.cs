namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A group as <c>CID_GROUP_INFO_RESPONSE</c> describes it; <see cref="Updated"/> orders the answer.</summary>
[GenerateSerializer, Immutable]
public sealed record GroupInfo(
    [property: Id(0)] uint GroupId,
    [property: Id(1)] uint Version,
    [property: Id(2)] string Name,
    [property: Id(3)] string Avatar,
    [property: Id(4)] uint CreatorId,
    [property: Id(5)] uint GroupType,
    [property: Id(6)] uint ShieldStatus,
    [property: Id(7)] uint[] Members,
    [property: Id(8)] uint Updated);

/// <summary>A group id with its version (<c>GroupVersionInfo</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record GroupVersion([property: Id(0)] uint GroupId, [property: Id(1)] uint Version);
