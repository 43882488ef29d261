namespace TeamTalk.Orleans.Grains.Models;

/// <summary>An <c>IMDepart</c> row as <c>DepartInfo</c> carries it; <see cref="Status"/> is 0 (normal) or 1 (deleted).</summary>
[GenerateSerializer, Immutable]
public sealed record Department(
    [property: Id(0)] uint DepartmentId,
    [property: Id(1)] uint Priority,
    [property: Id(2)] string Name,
    [property: Id(3)] uint ParentId,
    [property: Id(4)] uint Status,
    [property: Id(5)] uint Updated);
