namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A recent session of a user (an <c>IMRecentSession</c> row) with its latest message.</summary>
[GenerateSerializer, Immutable]
public sealed record RecentSession(
    [property: Id(0)] uint SessionId,
    [property: Id(1)] SessionType SessionType,
    [property: Id(2)] uint Updated,
    [property: Id(3)] ChatMessage Latest);
