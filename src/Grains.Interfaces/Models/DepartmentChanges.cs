namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// The answer to an incremental department sync (behaviour.md 3.6.7): the departments changed since the client's
/// time and the time the client sends next.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentChanges(
    [property: Id(0)] uint LatestUpdateTime,
    [property: Id(1)] Department[] Departments);
