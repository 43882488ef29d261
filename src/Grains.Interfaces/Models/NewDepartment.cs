namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A department the back-office creates (<c>IMDepart</c>); <see cref="ParentId"/> 0 for a top-level one.</summary>
[GenerateSerializer, Immutable]
public sealed record NewDepartment([property: Id(0)] string Name, [property: Id(1)] uint ParentId, [property: Id(2)] uint Priority)
{
    /// <summary><c>IMDepart.departName</c> is <c>VARCHAR(64)</c>.</summary>
    public const int MaxNameChars = 64;
}
