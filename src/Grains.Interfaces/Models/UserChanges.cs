namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// The answer to an incremental user sync (behaviour.md 3.6.4): the users changed since the client's time and the
/// time the client sends next (the greatest <c>updated</c> returned, or its own value when nothing changed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UserChanges(
    [property: Id(0)] uint LatestUpdateTime,
    [property: Id(1)] DirectoryUser[] Users);
