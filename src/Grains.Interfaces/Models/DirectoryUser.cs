namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// A user as the directory reports it (<c>UserInfo</c> of behaviour.md 3.6.2 and 3.6.4): the profile with the real
/// <c>IMUser.status</c> (1 trial, 2 regular, 3 left, 4 intern; NULL read as 0) and the row's <c>updated</c> time.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DirectoryUser(
    [property: Id(0)] UserProfile Profile,
    [property: Id(1)] uint Status,
    [property: Id(2)] uint Updated);
