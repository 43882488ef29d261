namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A user as the console's list shows it (an <c>IMUser</c> row without the password).</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleUser(
    [property: Id(0)] uint Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Nick,
    [property: Id(3)] uint DepartmentId,
    [property: Id(4)] uint Status,
    [property: Id(5)] string Avatar);

/// <summary>One page of users matching a search, and how many match in all.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleUserPage([property: Id(0)] ConsoleUser[] Users, [property: Id(1)] int Total);
