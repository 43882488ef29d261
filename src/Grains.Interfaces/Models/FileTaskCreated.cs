namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// The answer to a file request: the final mode (online only when the receiver has a PC-class connection) and the
/// file addresses of the live gateways. Not <see cref="Ok"/> when no gateway serves files or the task exists already.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FileTaskCreated(
    [property: Id(0)] bool Ok,
    [property: Id(1)] FileTransferMode Mode,
    [property: Id(2)] FileAddress[] Addresses);
