namespace TeamTalk.Orleans.Gateway.Msfs;

/// <summary>
/// What msfs stores: images (whose first bytes must carry their format's signature) and audio (raw voice has no
/// header, so the extension decides). Anything else is refused (the original accepted any file, defect 10).
/// </summary>
internal sealed record MsfsFileKind(string Extension, string ContentType, byte[]? Signature, int SignatureOffset = 0, byte[]? Signature2 = null, int Signature2Offset = 0)
{
    /// <summary>The longest extension kept (behaviour.md 2.2: at most 15 characters).</summary>
    public const int MaxExtensionLength = 15;

    /// <summary>Bytes read before the signature check.</summary>
    public const int SniffLength = 12;

    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Gif = "GIF8"u8.ToArray();
    private static readonly byte[] Bmp = "BM"u8.ToArray();
    private static readonly byte[] Riff = "RIFF"u8.ToArray();
    private static readonly byte[] Webp = "WEBP"u8.ToArray();

    private static readonly Dictionary<string, MsfsFileKind> Kinds = new MsfsFileKind[]
    {
        new("jpg", "image/jpeg", Jpeg),
        new("jpeg", "image/jpeg", Jpeg),
        new("png", "image/png", Png),
        new("gif", "image/gif", Gif),
        new("bmp", "image/bmp", Bmp),
        new("webp", "image/webp", Riff, 0, Webp, 8),
        // TeamTalk's own voice uploads are named "1.audio" (raw frames, no header).
        new("audio", "application/octet-stream", null),
        new("amr", "audio/amr", null),
        new("spx", "audio/ogg", null),
        new("ogg", "audio/ogg", null),
        new("opus", "audio/ogg", null),
        new("mp3", "audio/mpeg", null),
        new("m4a", "audio/mp4", null),
        new("aac", "audio/aac", null),
        new("wav", "audio/wav", null),
    }.ToDictionary(k => k.Extension, StringComparer.Ordinal);

    /// <summary>True for the image kinds.</summary>
    public bool IsImage => Signature is not null;

    /// <summary>The kind of a lowercase extension, or null when msfs does not store it.</summary>
    public static MsfsFileKind? Of(string extension) => Kinds.GetValueOrDefault(extension);

    /// <summary>True when <paramref name="head"/> (the file's first bytes) fits this kind.</summary>
    public bool Matches(ReadOnlySpan<byte> head) =>
        (Signature is null || Has(head, Signature, SignatureOffset)) && (Signature2 is null || Has(head, Signature2, Signature2Offset));

    private static bool Has(ReadOnlySpan<byte> head, byte[] signature, int offset) =>
        head.Length >= offset + signature.Length && head.Slice(offset, signature.Length).SequenceEqual(signature);
}
