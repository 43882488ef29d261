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

/// <summary>Reads top-level fields of a protobuf body without allocating.</summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> data;
    private int position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    /// <summary>
    /// Moves to the next field: its number, wire type, varint value (wire type 0) or bytes (wire type 2). False at the
    /// end or on malformed input.
    /// </summary>
    public bool Next(out int field, out int wireType, out ulong varint, out ReadOnlySpan<byte> bytes)
    {
        field = 0;
        wireType = 0;
        varint = 0;
        bytes = default;
        if (position >= data.Length || !TryVarint(out var tag))
        {
            return false;
        }

        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        switch (wireType)
        {
            case 0:
                return TryVarint(out varint);
            case 1:
                return Skip(8);
            case 2:
                if (!TryVarint(out var length) || length > (ulong)(data.Length - position))
                {
                    return false;
                }

                bytes = data.Slice(position, (int)length);
                position += (int)length;
                return true;
            case 5:
                return Skip(4);
            default:
                return false;
        }
    }

    private bool Skip(int count)
    {
        if (data.Length - position < count)
        {
            return false;
        }

        position += count;
        return true;
    }

    private bool TryVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
