namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// The voice of an audio message (behaviour.md 1.5), already committed to the blob store by the gateway: the blob's name
/// (32 hex digits), the duration in seconds (the message's first 4 bytes, big-endian) and the audio's length in bytes.
/// The message row refers to it through an <c>IMAudio</c> row, written in the message's own transaction.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AudioClip(
    [property: Id(0)] string BlobName,
    [property: Id(1)] uint Duration,
    [property: Id(2)] uint Size);
