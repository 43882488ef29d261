using System.Text;

namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>
/// Allocation-free protobuf (proto2) encoding of the few hot messages the load generator sends and reads per message:
/// varint and length-delimited fields written straight into a span, and a scanner that picks fields out of a body.
/// Checked against the generated classes by the tests.
/// </summary>
internal ref struct ProtoWriter
{
    private readonly Span<byte> buffer;

    public ProtoWriter(Span<byte> buffer)
    {
        this.buffer = buffer;
        Length = 0;
    }

    public int Length { get; private set; }

    public void UInt32(int field, uint value)
    {
        Varint((ulong)((uint)field << 3));
        Varint(value);
    }

    public void Bytes(int field, scoped ReadOnlySpan<byte> value)
    {
        Varint((ulong)(((uint)field << 3) | 2));
        Varint((ulong)value.Length);
        value.CopyTo(buffer[Length..]);
        Length += value.Length;
    }

    public void String(int field, string value)
    {
        Varint((ulong)(((uint)field << 3) | 2));
        var count = Encoding.UTF8.GetByteCount(value);
        Varint((ulong)count);
        Length += Encoding.UTF8.GetBytes(value, buffer[Length..]);
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[Length++] = (byte)value;
    }
}
