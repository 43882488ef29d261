using System.Buffers.Text;

namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>
/// The text of a load-test message: <c>lg:&lt;k&gt;:&lt;intended ticks&gt;:</c> padded with <c>x</c> to the requested size.
/// The receiver reads the message number and the intended send time (a monotonic Stopwatch timestamp, the same clock
/// in every process of this machine) back from it to measure delivery latency and find losses.
/// </summary>
internal static class MessagePayload
{
    /// <summary>Longest header: "lg:" + 19 digits + ":" + 19 digits + ":".</summary>
    public const int MaxHeaderBytes = 3 + 19 + 1 + 19 + 1;

    /// <summary>Writes the payload into <paramref name="destination"/>; returns its length (at least the header).</summary>
    public static int Write(Span<byte> destination, long k, long intendedTicks, int totalBytes)
    {
        "lg:"u8.CopyTo(destination);
        var length = 3;
        Utf8Formatter.TryFormat(k, destination[length..], out var written);
        length += written;
        destination[length++] = (byte)':';
        Utf8Formatter.TryFormat(intendedTicks, destination[length..], out written);
        length += written;
        destination[length++] = (byte)':';
        if (totalBytes > length)
        {
            destination[length..totalBytes].Fill((byte)'x');
            length = totalBytes;
        }

        return length;
    }

    /// <summary>Reads k and the intended ticks; false for a text this generator did not write.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long k, out long intendedTicks)
    {
        k = -1;
        intendedTicks = 0;
        if (!text.StartsWith("lg:"u8))
        {
            return false;
        }

        text = text[3..];
        if (!Utf8Parser.TryParse(text, out k, out var used) || used == 0 || used >= text.Length || text[used] != (byte)':')
        {
            k = -1;
            return false;
        }

        text = text[(used + 1)..];
        if (!Utf8Parser.TryParse(text, out intendedTicks, out used) || used == 0 || used >= text.Length || text[used] != (byte)':')
        {
            k = -1;
            return false;
        }

        return true;
    }
}
