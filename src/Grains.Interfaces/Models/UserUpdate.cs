namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A back-office change of a user: the fields that are set change, the others stay. <see cref="Password"/> is plain.</summary>
[GenerateSerializer, Immutable]
public sealed record UserUpdate(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Password,
    [property: Id(2)] string? NickName,
    [property: Id(3)] uint? DepartmentId,
    [property: Id(4)] uint? Gender,
    [property: Id(5)] string? Phone,
    [property: Id(6)] string? Email,
    [property: Id(7)] string? Avatar,
    [property: Id(8)] string? SignInfo,
    [property: Id(9)] uint? Status)
{
    /// <summary>The change that marks a user as left (<c>status</c> 3).</summary>
    public static UserUpdate Leave { get; } = new(null, null, null, null, null, null, null, null, null, UserFields.StatusLeft);

    /// <summary>True when no field is set.</summary>
    public bool IsEmpty => this == new UserUpdate(null, null, null, null, null, null, null, null, null, null);
}
