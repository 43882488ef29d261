namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A file is offered to the user (<c>IMFileNotify</c>); <see cref="OfflineReady"/> once an offline file is stored.</summary>
[GenerateSerializer, Immutable]
public sealed record FileNotifyPush(
    [property: Id(0)] uint FromUserId,
    [property: Id(1)] uint ToUserId,
    [property: Id(2)] string FileName,
    [property: Id(3)] uint FileSize,
    [property: Id(4)] string TaskId,
    [property: Id(5)] FileTransferMode Mode,
    [property: Id(6)] bool OfflineReady,
    [property: Id(7)] FileAddress[] Addresses) : ClientPush;
