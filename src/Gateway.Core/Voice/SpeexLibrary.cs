using System.Runtime.InteropServices;

namespace TeamTalk.Orleans.Gateway.Voice;

/// <summary>
/// libspeex, loaded once at start (<see cref="VoiceOptions.Library"/>); when it cannot be loaded, <see cref="Problem"/>
/// says so and nothing is decoded. Decoding follows libspeex's own <c>speexdec</c>: one decoder for the clip, perceptual
/// enhancement on, each audio packet read into the bits and decoded <see cref="SpeexHeader.FramesPerPacket"/> times,
/// a frame answering -1 ending the packet (its end-of-stream code). Each decode has its own decoder state, so decodes
/// may run in parallel.
/// </summary>
internal sealed unsafe class SpeexLibrary
{
    private const int EndOfStream = -1;

    /// <summary>The library the P/Invokes use: the first one loaded in the process.</summary>
    private static nint loaded;
    private static int resolving;

    public SpeexLibrary(string library)
    {
        Name = library;
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            Problem = $"{library} could not be loaded: install libspeex1 (apt-get install libspeex1) so that Speex voice messages can be decoded";
            return;
        }

        if (!NativeLibrary.TryGetExport(handle, "speex_decode_int", out _))
        {
            Problem = $"{library} has no speex_decode_int: it is not libspeex";
            return;
        }

        Interlocked.CompareExchange(ref loaded, handle, 0);
        if (Interlocked.Exchange(ref resolving, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(SpeexNative).Assembly, (name, _, _) => name == SpeexNative.Library ? Volatile.Read(ref loaded) : 0);
        }
    }

    public string Name { get; }

    /// <summary>Why nothing can be decoded; null when libspeex is loaded.</summary>
    public string? Problem { get; }

    public bool Available => Problem is null;

    /// <summary>
    /// The clip's audio as 16-bit samples at its header's rate: <c>frames × frame size</c> of them (160 per frame in
    /// narrowband). More than <paramref name="maxSamples"/>, a corrupt stream or no audio at all is a <see cref="VoiceClipException"/>.
    /// </summary>
    public short[] Decode(SpeexClip clip, int maxSamples)
    {
        if (!Available)
        {
            throw new InvalidOperationException(Problem);
        }

        var mode = SpeexNative.GetMode(clip.Header.Mode);
        if (mode == 0)
        {
            throw new VoiceClipException($"libspeex has no mode {clip.Header.Mode}");
        }

        var state = SpeexNative.DecoderInit(mode);
        if (state == 0)
        {
            throw new InvalidOperationException("speex_decoder_init failed");
        }

        var bits = NativeMemory.AllocZeroed(SpeexNative.BitsBytes);
        try
        {
            SpeexNative.BitsInit(bits);
            try
            {
                var frameSize = 0;
                var enhancement = 1;
                if (SpeexNative.DecoderControl(state, SpeexNative.GetFrameSize, &frameSize) != 0 || frameSize is <= 0 or > 2048
                    || SpeexNative.DecoderControl(state, SpeexNative.SetEnhancement, &enhancement) != 0)
                {
                    throw new InvalidOperationException($"libspeex's decoder did not answer its controls (frame size {frameSize})");
                }

                return DecodePackets(clip, state, bits, frameSize, maxSamples);
            }
            finally
            {
                SpeexNative.BitsDestroy(bits);
            }
        }
        finally
        {
            NativeMemory.Free(bits);
            SpeexNative.DecoderDestroy(state);
        }
    }

    private static short[] DecodePackets(SpeexClip clip, nint state, void* bits, int frameSize, int maxSamples)
    {
        var framesPerPacket = clip.Header.FramesPerPacket;
        var room = (int)Math.Min((long)clip.AudioPackets.Count * framesPerPacket * frameSize, maxSamples);
        var samples = new short[room];
        var count = 0;
        fixed (short* output = samples)
        {
            for (var p = 0; p < clip.AudioPackets.Count; p++)
            {
                var packet = clip.AudioPackets[p];
                fixed (byte* bytes = packet)
                {
                    SpeexNative.BitsReadFrom(bits, bytes, packet.Length);
                }

                for (var frame = 0; frame < framesPerPacket; frame++)
                {
                    if (count + frameSize > room)
                    {
                        throw new VoiceClipException($"the clip decodes to more than {maxSamples / clip.Header.Rate} s", tooLong: true);
                    }

                    var result = SpeexNative.DecodeInt(state, bits, output + count);
                    if (result == EndOfStream)
                    {
                        break;
                    }

                    if (result != 0 || SpeexNative.BitsRemaining(bits) < 0)
                    {
                        throw new VoiceClipException($"the Speex stream is corrupt (audio packet {p + 1}, frame {frame + 1})");
                    }

                    count += frameSize;
                }
            }
        }

        if (count == 0)
        {
            throw new VoiceClipException("the clip decodes to no audio");
        }

        return samples.AsSpan(0, count).ToArray();
    }
}
