using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace TeamTalk.Orleans.Client;

/// <summary>
/// Voice clips as TeamTalk clients record them, for tests: 16-bit samples encoded with libspeex (Debian's
/// <c>libspeex1</c>) in narrowband, in an Ogg stream laid out as Android's <c>OggSpeexWriter</c> lays it out: a page with
/// the 80-byte Speex header, a page with the comment packet, then pages of audio packets (each of one or more 160-sample
/// frames) with their granule positions, the last page marked end-of-stream; every page with its CRC.
/// </summary>
public static unsafe partial class SpeexRecorder
{
    /// <summary>Samples per narrowband frame.</summary>
    public const int FrameSamples = 160;

    public const int NarrowbandRate = 8000;

    private const string Library = "libspeex.so.1";
    private const int SetQuality = 4; // SPEEX_SET_QUALITY
    private const int BitsBytes = 128; // room for SpeexBits (48 bytes on 64-bit Linux)

    /// <summary>A sine tone of <paramref name="hertz"/> at <paramref name="rate"/>, <paramref name="amplitude"/> peak.</summary>
    public static short[] Tone(double hertz, int samples, int rate = NarrowbandRate, double amplitude = 8000) =>
        Enumerable.Range(0, samples).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * hertz * i / rate))).ToArray();

    /// <summary>The frequency a signal's zero crossings imply (two a period), over all of it: near a pure tone's pitch.</summary>
    public static double ZeroCrossingHertz(ReadOnlySpan<short> samples, int rate)
    {
        var crossings = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            if ((samples[i - 1] < 0) != (samples[i] < 0))
            {
                crossings++;
            }
        }

        return crossings * (double)rate / (2.0 * samples.Length);
    }

    /// <summary>Root mean square of the samples (a full-scale sine: 23170).</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        return samples.Length == 0 ? 0 : Math.Sqrt(sum / samples.Length);
    }

    /// <summary>
    /// Encodes <paramref name="samples"/> (8 kHz, a whole number of frames is used; a partial last frame is dropped) into
    /// an Ogg Speex file whose packets hold <paramref name="framesPerPacket"/> frames each.
    /// </summary>
    public static byte[] Record(ReadOnlySpan<short> samples, int framesPerPacket = 1, int quality = 8)
    {
        var frames = samples.Length / FrameSamples;
        if (frames == 0 || frames % framesPerPacket != 0)
        {
            throw new ArgumentException($"{frames} frames do not make whole packets of {framesPerPacket}", nameof(samples));
        }

        var packets = new List<byte[]>();
        var state = EncoderInit(GetMode(0));
        var bits = NativeMemory.AllocZeroed(BitsBytes);
        try
        {
            BitsInit(bits);
            if (EncoderControl(state, SetQuality, &quality) != 0)
            {
                throw new InvalidOperationException("libspeex refused the quality");
            }

            var output = new byte[2048];
            fixed (short* input = samples)
            fixed (byte* written = output)
            {
                for (var frame = 0; frame < frames; frame += framesPerPacket)
                {
                    BitsReset(bits);
                    for (var i = 0; i < framesPerPacket; i++)
                    {
                        if (EncodeInt(state, input + ((frame + i) * FrameSamples), bits) < 0)
                        {
                            throw new InvalidOperationException("speex_encode_int failed");
                        }
                    }

                    BitsInsertTerminator(bits);
                    var length = BitsWrite(bits, written, output.Length);
                    packets.Add(output.AsSpan(0, length).ToArray());
                }
            }
        }
        finally
        {
            BitsDestroy(bits);
            NativeMemory.Free(bits);
            EncoderDestroy(state);
        }

        return OggFile(SpeexHeader(NarrowbandRate, 0, 1, framesPerPacket), packets, framesPerPacket * FrameSamples);
    }

    /// <summary>The 80-byte Speex header packet (speex_header.h's <c>SpeexHeader</c>, little-endian).</summary>
    public static byte[] SpeexHeader(int rate, int mode, int channels, int framesPerPacket, int extraHeaders = 0)
    {
        var header = new byte[80];
        var span = header.AsSpan();
        "Speex   "u8.CopyTo(span);
        "1.2.1"u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], 1); // speex_version_id
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], 80); // header_size
        BinaryPrimitives.WriteInt32LittleEndian(span[36..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], mode);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], 4); // mode_bitstream_version
        BinaryPrimitives.WriteInt32LittleEndian(span[48..], channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[52..], -1); // bitrate: unknown
        BinaryPrimitives.WriteInt32LittleEndian(span[56..], FrameSamples << mode);
        BinaryPrimitives.WriteInt32LittleEndian(span[60..], 1); // vbr
        BinaryPrimitives.WriteInt32LittleEndian(span[64..], framesPerPacket);
        BinaryPrimitives.WriteInt32LittleEndian(span[68..], extraHeaders);
        return header;
    }

    /// <summary>
    /// An Ogg stream of the header packet, a comment packet and the audio <paramref name="packets"/> (each
    /// <paramref name="samplesPerPacket"/> samples long), at most <paramref name="packetsPerPage"/> audio packets a page.
    /// </summary>
    public static byte[] OggFile(byte[] header, IReadOnlyList<byte[]> packets, int samplesPerPacket, int packetsPerPage = 50, int serial = 0x7454)
    {
        using var file = new MemoryStream();
        var sequence = 0;
        WritePage(file, [header], 0x02, 0, serial, sequence++);
        WritePage(file, [Comment("TeamTalk.Orleans tests")], 0, 0, serial, sequence++);
        for (var first = 0; first < packets.Count; first += packetsPerPage)
        {
            var page = packets.Skip(first).Take(packetsPerPage).ToArray();
            var last = first + page.Length >= packets.Count;
            WritePage(file, page, last ? (byte)0x04 : (byte)0, (long)(first + page.Length) * samplesPerPacket, serial, sequence++);
        }

        return file.ToArray();
    }

    /// <summary>A Vorbis-style comment packet: the vendor string and no comments.</summary>
    private static byte[] Comment(string vendor)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(vendor);
        var comment = new byte[8 + text.Length];
        BinaryPrimitives.WriteInt32LittleEndian(comment, text.Length);
        text.CopyTo(comment, 4);
        return comment;
    }

    /// <summary>One Ogg page holding whole packets (their lacing values must fit the page's 255).</summary>
    private static void WritePage(Stream file, byte[][] packets, byte flags, long granule, int serial, int sequence)
    {
        var lacing = new List<byte>();
        foreach (var packet in packets)
        {
            lacing.AddRange(Enumerable.Repeat((byte)255, packet.Length / 255));
            lacing.Add((byte)(packet.Length % 255));
        }

        file.Write(Page(flags, granule, serial, sequence, [.. lacing], [.. packets.SelectMany(p => p)]));
    }

    /// <summary>
    /// One Ogg page as it is: <paramref name="lacing"/> values over <paramref name="body"/> (flags 0x01 continued packet,
    /// 0x02 first page, 0x04 last page), with its CRC.
    /// </summary>
    public static byte[] Page(byte flags, long granule, int serial, int sequence, ReadOnlySpan<byte> lacing, ReadOnlySpan<byte> body)
    {
        if (lacing.Length > 255)
        {
            throw new ArgumentException("more than 255 lacing values", nameof(lacing));
        }

        var page = new byte[27 + lacing.Length + body.Length];
        var span = page.AsSpan();
        "OggS"u8.CopyTo(span);
        span[5] = flags;
        BinaryPrimitives.WriteInt64LittleEndian(span[6..], granule);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], serial);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], sequence);
        span[26] = (byte)lacing.Length;
        lacing.CopyTo(span[27..]);
        body.CopyTo(span[(27 + lacing.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[22..], Crc(page));
        return page;
    }

    /// <summary>Ogg's page checksum: CRC-32, polynomial 0x04C11DB7, not reflected, over the page with its CRC field zero.</summary>
    private static uint Crc(ReadOnlySpan<byte> page)
    {
        uint crc = 0;
        foreach (var b in page)
        {
            crc ^= (uint)b << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }

        return crc;
    }

    [LibraryImport(Library, EntryPoint = "speex_lib_get_mode")]
    private static partial nint GetMode(int mode);

    [LibraryImport(Library, EntryPoint = "speex_encoder_init")]
    private static partial nint EncoderInit(nint mode);

    [LibraryImport(Library, EntryPoint = "speex_encoder_destroy")]
    private static partial void EncoderDestroy(nint state);

    [LibraryImport(Library, EntryPoint = "speex_encoder_ctl")]
    private static partial int EncoderControl(nint state, int request, int* value);

    [LibraryImport(Library, EntryPoint = "speex_encode_int")]
    private static partial int EncodeInt(nint state, short* input, void* bits);

    [LibraryImport(Library, EntryPoint = "speex_bits_init")]
    private static partial void BitsInit(void* bits);

    [LibraryImport(Library, EntryPoint = "speex_bits_reset")]
    private static partial void BitsReset(void* bits);

    [LibraryImport(Library, EntryPoint = "speex_bits_insert_terminator")]
    private static partial void BitsInsertTerminator(void* bits);

    [LibraryImport(Library, EntryPoint = "speex_bits_write")]
    private static partial int BitsWrite(void* bits, byte* bytes, int maxLength);

    [LibraryImport(Library, EntryPoint = "speex_bits_destroy")]
    private static partial void BitsDestroy(void* bits);
}
