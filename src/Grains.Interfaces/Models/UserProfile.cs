namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A user's profile as the original <c>IMUser</c> row holds it (what <c>UserInfo</c> carries).</summary>
[GenerateSerializer, Immutable]
public sealed record UserProfile(
    [property: Id(0)] uint UserId,
    [property: Id(1)] uint Gender,
    [property: Id(2)] string NickName,
    [property: Id(3)] string AvatarUrl,
    [property: Id(4)] uint DepartmentId,
    [property: Id(5)] string Email,
    [property: Id(6)] string RealName,
    [property: Id(7)] string Phone,
    [property: Id(8)] string Domain,
    [property: Id(9)] string SignInfo);
