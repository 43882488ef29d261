namespace TeamTalk.Orleans.Grains.Models;

/// <summary>The outcome of an administrator's console login: the <c>IMAdmin</c> id and name when accepted.</summary>
[GenerateSerializer, Immutable]
public sealed record AdminLoginResult([property: Id(0)] bool Accepted, [property: Id(1)] uint AdminId, [property: Id(2)] string Name)
{
    public static AdminLoginResult Refused { get; } = new(false, 0, string.Empty);
}
