namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A user the back-office creates; <see cref="Password"/> is the plain password (stored salted, as the PHP admin does).</summary>
[GenerateSerializer, Immutable]
public sealed record NewUser(
    [property: Id(0)] string Name,
    [property: Id(1)] string Password,
    [property: Id(2)] string NickName,
    [property: Id(3)] uint DepartmentId,
    [property: Id(4)] uint Gender,
    [property: Id(5)] string Phone,
    [property: Id(6)] string Email,
    [property: Id(7)] string Avatar,
    [property: Id(8)] string SignInfo);
