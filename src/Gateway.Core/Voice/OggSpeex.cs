using System.Buffers.Binary;

namespace TeamTalk.Orleans.Gateway.Voice;

/// <summary>A clip that cannot be decoded (400), or that decodes to more audio than allowed (<see cref="TooLong"/>, 413); the message says why.</summary>
internal sealed class VoiceClipException(string message, bool tooLong = false) : Exception(message)
{
    public bool TooLong { get; } = tooLong;
}

/// <summary>The fields of a Speex header packet this decoder uses (all little-endian 32-bit in the packet).</summary>
/// <param name="Rate">Sampling rate in Hz, the rate of the WAV written.</param>
/// <param name="Mode">0 narrowband, 1 wideband, 2 ultra-wideband (<c>speex_lib_get_mode</c>).</param>
/// <param name="Channels">1: mono (the only kind accepted).</param>
/// <param name="FramesPerPacket">How many codec frames each audio packet holds (0 in a header means 1).</param>
/// <param name="ExtraHeaders">Packets after the comment packet that are headers, not audio.</param>
internal readonly record struct SpeexHeader(int Rate, int Mode, int Channels, int FramesPerPacket, int ExtraHeaders);

/// <summary>An Ogg Speex file split into its header and its audio packets.</summary>
internal sealed record SpeexClip(SpeexHeader Header, IReadOnlyList<byte[]> AudioPackets);

/// <summary>
/// Reads the Ogg Speex files TeamTalk clients record (Ogg pages holding a Speex header packet, a comment packet and
/// audio packets of one or more codec frames): only the first logical stream, packets rebuilt across pages from the
/// lacing values. Page checksums are not verified (the pages come whole from an authenticated message, and a client
/// that wrote them wrongly should still be heard). Anything malformed or cut off is a <see cref="VoiceClipException"/>.
/// </summary>
internal static class OggSpeex
{
    /// <summary>The Speex header packet's size (<c>SpeexHeader</c> in libspeex's speex_header.h).</summary>
    public const int HeaderPacketBytes = 80;

    /// <summary>The most codec frames a packet may claim to hold.</summary>
    public const int MaxFramesPerPacket = 10;

    private const int PageHeaderBytes = 27;
    private const byte Continued = 0x01;

    /// <summary>Splits <paramref name="file"/> into its Speex header and audio packets.</summary>
    public static SpeexClip Parse(ReadOnlySpan<byte> file)
    {
        var packets = ReadPackets(file);
        if (packets.Count == 0)
        {
            throw new VoiceClipException("the Ogg stream holds no packet");
        }

        var header = ParseHeader(packets[0]);
        var firstAudio = 2 + header.ExtraHeaders; // the header, the comment packet, the extra headers
        if (packets.Count <= firstAudio)
        {
            throw new VoiceClipException("the clip holds no audio");
        }

        return new SpeexClip(header, packets.GetRange(firstAudio, packets.Count - firstAudio));
    }

    /// <summary>The header packet's fields, checked: Speex, mono, a known mode, a plausible rate and frame count.</summary>
    public static SpeexHeader ParseHeader(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderPacketBytes || !packet[..8].SequenceEqual("Speex   "u8))
        {
            throw new VoiceClipException("the first packet is not a Speex header (not Ogg Speex audio)");
        }

        var rate = BinaryPrimitives.ReadInt32LittleEndian(packet[36..]);
        var mode = BinaryPrimitives.ReadInt32LittleEndian(packet[40..]);
        var channels = BinaryPrimitives.ReadInt32LittleEndian(packet[48..]);
        var frames = BinaryPrimitives.ReadInt32LittleEndian(packet[64..]);
        var extra = BinaryPrimitives.ReadInt32LittleEndian(packet[68..]);
        if (mode is < 0 or > 2)
        {
            throw new VoiceClipException($"the Speex header names mode {mode}, not narrowband, wideband or ultra-wideband");
        }

        if (rate is < 6000 or > 48000)
        {
            throw new VoiceClipException($"the Speex header's rate {rate} Hz is not one Speex records at");
        }

        if (channels != 1)
        {
            throw new VoiceClipException($"the clip has {channels} channels; only mono clips are decoded");
        }

        if (frames is < 0 or > MaxFramesPerPacket)
        {
            throw new VoiceClipException($"the Speex header claims {frames} frames per packet (at most {MaxFramesPerPacket})");
        }

        if (extra is < 0 or > 16)
        {
            throw new VoiceClipException($"the Speex header claims {extra} extra header packets");
        }

        return new SpeexHeader(rate, mode, channels, Math.Max(frames, 1), extra);
    }

    /// <summary>The packets of the first logical stream, in order; pages of other streams are skipped.</summary>
    public static List<byte[]> ReadPackets(ReadOnlySpan<byte> file)
    {
        var packets = new List<byte[]>();
        var pending = new List<byte>();
        int? serial = null;
        var offset = 0;
        while (offset < file.Length)
        {
            var page = file[offset..];
            var signature = Math.Min(4, page.Length);
            if (!page[..signature].SequenceEqual("OggS"u8[..signature]))
            {
                throw new VoiceClipException(offset == 0 ? "not an Ogg file" : $"no Ogg page at byte {offset}");
            }

            if (page.Length < PageHeaderBytes)
            {
                throw new VoiceClipException($"the Ogg page at byte {offset} is cut off");
            }

            if (page[4] != 0)
            {
                throw new VoiceClipException($"the Ogg page at byte {offset} has version {page[4]}");
            }

            var segments = page[26];
            if (page.Length < PageHeaderBytes + segments)
            {
                throw new VoiceClipException($"the Ogg page at byte {offset} is cut off");
            }

            var lacing = page.Slice(PageHeaderBytes, segments);
            var bodyBytes = 0;
            foreach (var value in lacing)
            {
                bodyBytes += value;
            }

            var pageBytes = PageHeaderBytes + segments + bodyBytes;
            if (page.Length < pageBytes)
            {
                throw new VoiceClipException($"the Ogg page at byte {offset} is cut off");
            }

            var pageSerial = BinaryPrimitives.ReadInt32LittleEndian(page[14..]);
            serial ??= pageSerial;
            if (pageSerial == serial)
            {
                var continued = (page[5] & Continued) != 0;
                if (continued != (pending.Count > 0))
                {
                    throw new VoiceClipException(continued
                        ? $"the Ogg page at byte {offset} continues a packet that was never started"
                        : $"the Ogg page at byte {offset} leaves the previous packet unfinished");
                }

                var body = page.Slice(PageHeaderBytes + segments, bodyBytes);
                foreach (var value in lacing)
                {
                    pending.AddRange(body[..value]);

                    body = body[value..];
                    if (value < 255)
                    {
                        packets.Add([.. pending]);
                        pending.Clear();
                    }
                }
            }

            offset += pageBytes;
        }

        if (pending.Count > 0)
        {
            throw new VoiceClipException("the last packet is cut off");
        }

        return packets;
    }
}
