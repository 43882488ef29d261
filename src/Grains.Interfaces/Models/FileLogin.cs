namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A file connection logging in to a task (<c>IMFileLoginReq</c>) and where it is.</summary>
[GenerateSerializer, Immutable]
public sealed record FileLogin(
    [property: Id(0)] uint UserId,
    [property: Id(1)] FileRole Role,
    [property: Id(2)] FilePeer Connection);
