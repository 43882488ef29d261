using System.Buffers.Binary;

namespace TeamTalk.Orleans.Gateway.Voice;

/// <summary>A RIFF WAVE file of 16-bit PCM mono samples: the 44-byte canonical header, then the samples little-endian.</summary>
internal static class WavFile
{
    public const int HeaderBytes = 44;

    public static byte[] Create(int rate, ReadOnlySpan<short> samples)
    {
        var dataBytes = samples.Length * 2;
        var file = new byte[HeaderBytes + dataBytes];
        var span = file.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16); // the fmt chunk's size
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], rate * 2); // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // bytes per sample frame
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        var data = span[HeaderBytes..];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data[(i * 2)..], samples[i]);
        }

        return file;
    }
}
