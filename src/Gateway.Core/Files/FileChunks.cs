namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>
/// The fixed chunking of offline files (behaviour.md 5.4): chunk k starts at k × 32 KiB and holds 32 KiB, the last one
/// the remainder. Tracks the next expected chunk of one upload or download.
/// </summary>
internal sealed class FileChunks(uint size)
{
    /// <summary>Bytes per chunk.</summary>
    public const int ChunkSize = 32 * 1024;

    /// <summary>Where the next chunk starts.</summary>
    public uint Offset { get; private set; }

    /// <summary>The length of the next chunk (0 once complete).</summary>
    public int NextLength => (int)Math.Min(ChunkSize, size - Offset);

    /// <summary>All bytes moved (at once for a zero-byte file).</summary>
    public bool Complete => Offset == size;

    /// <summary>Why a chunk at <paramref name="offset"/> of <paramref name="length"/> bytes is not the next one; null when it is.</summary>
    public string? Check(uint offset, long length) =>
        Complete ? "chunk after the end of the file"
        : offset != Offset ? $"chunk at offset {offset}; expected {Offset}"
        : length >= 0 && length != NextLength ? $"chunk of {length} bytes at offset {offset}; expected {NextLength}"
        : null;

    /// <summary>Moves past the next chunk.</summary>
    public void Advance() => Offset += (uint)NextLength;
}
