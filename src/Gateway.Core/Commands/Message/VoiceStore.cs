using System.Buffers.Binary;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// The voice of audio messages in the blob store (behaviour.md 1.5: <c>msg_data</c> = 4-byte big-endian duration, then
/// the audio). The gateway commits the voice before it hands the message to its conversation, so the blob exists before
/// the message's row commits (acked ⇒ durable) and the conversation's turn never waits on a file write.
/// </summary>
internal sealed class VoiceStore(IBlobStore blobs)
{
    /// <summary>Shortest audio <c>msg_data</c> accepted: the duration and at least one byte of voice.</summary>
    public const int MinDataLength = 5;

    /// <summary>Stores the voice of <paramref name="data"/> (at least <see cref="MinDataLength"/> bytes).</summary>
    public async Task<AudioClip> StoreAsync(byte[] data)
    {
        await using var upload = await blobs.CreateAsync();
        await upload.WriteAsync(data.AsMemory(4));
        var name = await upload.CommitAsync();
        return new AudioClip(name.Value, BinaryPrimitives.ReadUInt32BigEndian(data), (uint)(data.Length - 4));
    }

    /// <summary>Deletes the voice of a message that was not stored.</summary>
    public async Task DeleteAsync(AudioClip clip)
    {
        if (BlobName.TryParse(clip.BlobName, out var name))
        {
            await blobs.DeleteAsync(name.Value);
        }
    }
}
