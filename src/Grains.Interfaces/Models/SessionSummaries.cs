namespace TeamTalk.Orleans.Grains.Models;

/// <summary>Unread messages of one session of a user, with the session's latest message.</summary>
[GenerateSerializer, Immutable]
public sealed record UnreadSession(
    [property: Id(0)] uint PeerId,
    [property: Id(1)] uint SessionType,
    [property: Id(2)] uint UnreadCount,
    [property: Id(3)] ChatMessage Latest);

/// <summary>A recent session of a user (<c>IMRecentSession</c>) with its latest message.</summary>
[GenerateSerializer, Immutable]
public sealed record RecentSession(
    [property: Id(0)] uint PeerId,
    [property: Id(1)] uint SessionType,
    [property: Id(2)] uint Updated,
    [property: Id(3)] ChatMessage Latest);
