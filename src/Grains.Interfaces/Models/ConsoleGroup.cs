namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A group as the console's list shows it (an <c>IMGroup</c> row that is not deleted).</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleGroup(
    [property: Id(0)] uint Id,
    [property: Id(1)] string Name,
    [property: Id(2)] uint Type,
    [property: Id(3)] uint Members,
    [property: Id(4)] uint CreatorId);

/// <summary>One page of groups matching a search, and how many match in all.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleGroupPage([property: Id(0)] ConsoleGroup[] Groups, [property: Id(1)] int Total);
