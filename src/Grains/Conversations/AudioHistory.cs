using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// Rebuilds the audio messages of a history page (behaviour.md 3.4.6): a stored audio row's <c>content</c> is its
/// <c>IMAudio</c> id; the answer carries the 4-byte big-endian duration followed by the voice, read from the blob store.
/// An audio whose row or blob cannot be read keeps the id text, as the original answers when its download fails.
/// Pages without audio pass through untouched.
/// </summary>
public sealed partial class AudioHistory(AudioStore store, IBlobStore blobs, ILogger<AudioHistory> logger)
{
    public async Task<ChatMessage[]> RebuildAsync(ChatMessage[] page)
    {
        List<(int Index, uint AudioId)>? audio = null;
        for (var i = 0; i < page.Length; i++)
        {
            if (page[i].MsgType.IsAudio()
                && uint.TryParse(Encoding.ASCII.GetString(page[i].Data), NumberStyles.None, CultureInfo.InvariantCulture, out var audioId))
            {
                (audio ??= []).Add((i, audioId));
            }
        }

        if (audio is null)
        {
            return page;
        }

        var rows = await store.FindAsync([.. audio.Select(a => a.AudioId).Distinct()]);
        foreach (var (index, audioId) in audio)
        {
            if (rows.TryGetValue(audioId, out var row) && await ReadAsync(audioId, row.Path, row.Duration) is { } data)
            {
                page[index] = page[index] with { Data = data };
            }
        }

        return page;
    }

    /// <summary>Duration (big-endian) and voice, or null (logged) when the blob cannot be read.</summary>
    private async Task<byte[]?> ReadAsync(uint audioId, string path, uint duration)
    {
        if (!BlobName.TryParse(path, out var name))
        {
            LogNotOurs(audioId, path);
            return null;
        }

        try
        {
            await using var stream = await blobs.OpenReadAsync(name.Value);
            if (stream is null || stream.Length > int.MaxValue - 4)
            {
                LogMissing(audioId, path);
                return null;
            }

            var data = new byte[4 + stream.Length];
            BinaryPrimitives.WriteUInt32BigEndian(data, duration);
            await stream.ReadExactlyAsync(data.AsMemory(4));
            return data;
        }
        catch (IOException ex)
        {
            LogReadFailed(ex, audioId, path);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "IMAudio {AudioId}: path {Path} is not a blob of ours (an msfs URL of the original server); history returns the id")]
    private partial void LogNotOurs(uint audioId, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "IMAudio {AudioId}: blob {Path} is missing; history returns the id")]
    private partial void LogMissing(uint audioId, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "IMAudio {AudioId}: blob {Path} could not be read; history returns the id")]
    private partial void LogReadFailed(Exception exception, uint audioId, string path);
}
