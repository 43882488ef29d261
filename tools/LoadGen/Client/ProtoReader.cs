namespace TeamTalk.Orleans.LoadGen.Client;

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
