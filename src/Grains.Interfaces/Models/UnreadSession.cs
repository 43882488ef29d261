namespace TeamTalk.Orleans.Grains.Models;

/// <summary>Unread messages of one session of a user (the peer's id for 1:1, the group's id for a group), with the session's latest message.</summary>
[GenerateSerializer, Immutable]
public sealed record UnreadSession(
    [property: Id(0)] uint SessionId,
    [property: Id(1)] SessionType SessionType,
    [property: Id(2)] uint UnreadCount,
    [property: Id(3)] ChatMessage Latest);
