namespace TeamTalk.Orleans.Grains.Models;

/// <summary>The outcome of a back-office write: the row's id when done, the offending field when invalid.</summary>
[GenerateSerializer, Immutable]
public sealed record AdminWriteResult([property: Id(0)] AdminWriteStatus Status, [property: Id(1)] uint Id, [property: Id(2)] string? Error)
{
    public static AdminWriteResult Done(uint id) => new(AdminWriteStatus.Done, id, null);

    public static AdminWriteResult Invalid(string error) => new(AdminWriteStatus.Invalid, 0, error);

    public static AdminWriteResult NotFound { get; } = new(AdminWriteStatus.NotFound, 0, null);

    public static AdminWriteResult Duplicate { get; } = new(AdminWriteStatus.Duplicate, 0, null);
}
