using System.Runtime.InteropServices;

namespace TeamTalk.Orleans.Gateway.Voice;

/// <summary>
/// The few libspeex functions the decoder calls (Debian's <c>libspeex1</c>, <c>libspeex.so.1</c>); which file is loaded
/// is decided by <see cref="SpeexLibrary"/>. <c>SpeexBits</c> is opaque here: a zeroed block of
/// <see cref="BitsBytes"/> bytes (the struct is 48 bytes on 64-bit Linux) that libspeex initialises and frees its buffer of.
/// </summary>
internal static unsafe partial class SpeexNative
{
    public const string Library = "libspeex.so.1";

    /// <summary>Room for <c>SpeexBits</c>, with margin.</summary>
    public const int BitsBytes = 128;

    /// <summary><c>SPEEX_SET_ENH</c>: perceptual enhancement on or off.</summary>
    public const int SetEnhancement = 0;

    /// <summary><c>SPEEX_GET_FRAME_SIZE</c>: samples per codec frame.</summary>
    public const int GetFrameSize = 3;

    [LibraryImport(Library, EntryPoint = "speex_lib_get_mode")]
    public static partial nint GetMode(int mode);

    [LibraryImport(Library, EntryPoint = "speex_decoder_init")]
    public static partial nint DecoderInit(nint mode);

    [LibraryImport(Library, EntryPoint = "speex_decoder_destroy")]
    public static partial void DecoderDestroy(nint state);

    [LibraryImport(Library, EntryPoint = "speex_decoder_ctl")]
    public static partial int DecoderControl(nint state, int request, int* value);

    [LibraryImport(Library, EntryPoint = "speex_decode_int")]
    public static partial int DecodeInt(nint state, void* bits, short* output);

    [LibraryImport(Library, EntryPoint = "speex_bits_init")]
    public static partial void BitsInit(void* bits);

    [LibraryImport(Library, EntryPoint = "speex_bits_read_from")]
    public static partial void BitsReadFrom(void* bits, byte* bytes, int length);

    [LibraryImport(Library, EntryPoint = "speex_bits_remaining")]
    public static partial int BitsRemaining(void* bits);

    [LibraryImport(Library, EntryPoint = "speex_bits_destroy")]
    public static partial void BitsDestroy(void* bits);
}
