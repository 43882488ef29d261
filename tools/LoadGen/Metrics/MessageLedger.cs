namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>
/// What became of the messages of one stream (one sender → one receiver): which were acked and which delivered,
/// by message number k (0, 1, 2 …). Acks carry only the seq echo, a 16-bit number: the sender uses seq
/// <c>k % 65535 + 1</c> (never 0, which pushes carry), and an ack is matched to the oldest unacked k with that
/// residue. Acks are written by the sender connection's receive loop only, deliveries by the receiver's only.
/// </summary>
internal sealed class MessageLedger
{
    private const int SeqSpace = 65535;

    private ulong[] acked = new ulong[4];
    private ulong[] delivered = new ulong[4];
    private long lowestUnacked;
    private long sent;

    public long Sent => Volatile.Read(ref sent);

    public long AckedCount { get; private set; }

    public long DeliveredCount { get; private set; }

    public long DuplicateDeliveries { get; private set; }

    public long UnmatchedAcks { get; private set; }

    /// <summary>Deliveries whose msg id was not above the previous one's (order violation within the conversation).</summary>
    public long OutOfOrder { get; private set; }

    private uint lastDeliveredMsgId;

    /// <summary>The seq a sender puts on message <paramref name="k"/>.</summary>
    public static ushort SeqFor(long k) => (ushort)((k % SeqSpace) + 1);

    /// <summary>Called by the sender after message <paramref name="k"/> went out (k = 0, 1, 2 … in order).</summary>
    public void MarkSent(long k) => Volatile.Write(ref sent, k + 1);

    /// <summary>Records an ack; returns the message number it belongs to, or -1 when nothing outstanding matches.</summary>
    public long Ack(ushort seq)
    {
        if (seq == 0)
        {
            UnmatchedAcks++;
            return -1;
        }

        var residue = seq - 1;
        var sentNow = Sent;
        var k = lowestUnacked + ((residue - (lowestUnacked % SeqSpace) + SeqSpace) % SeqSpace);
        while (k < sentNow && IsSet(acked, k))
        {
            k += SeqSpace;
        }

        if (k >= sentNow)
        {
            UnmatchedAcks++;
            return -1;
        }

        Set(ref acked, k);
        AckedCount++;
        while (lowestUnacked < sentNow && IsSet(acked, lowestUnacked))
        {
            lowestUnacked++;
        }

        return k;
    }

    /// <summary>Records a delivery of message <paramref name="k"/> carrying server id <paramref name="msgId"/>; false for a duplicate.</summary>
    public bool Deliver(long k, uint msgId)
    {
        if (k < 0)
        {
            return false;
        }

        if (msgId <= lastDeliveredMsgId && msgId != 0)
        {
            OutOfOrder++;
        }

        lastDeliveredMsgId = Math.Max(lastDeliveredMsgId, msgId);
        if (IsSet(delivered, k))
        {
            DuplicateDeliveries++;
            return false;
        }

        Set(ref delivered, k);
        DeliveredCount++;
        return true;
    }

    public bool IsAcked(long k) => IsSet(acked, k);

    public bool IsDelivered(long k) => IsSet(delivered, k);

    /// <summary>Messages acked but never delivered (loss, when the receiver was online throughout).</summary>
    public long AckedNotDelivered()
    {
        long lost = 0;
        var words = Math.Min(acked.Length, delivered.Length);
        for (var i = 0; i < acked.Length; i++)
        {
            var d = i < words ? delivered[i] : 0UL;
            lost += System.Numerics.BitOperations.PopCount(acked[i] & ~d);
        }

        return lost;
    }

    /// <summary>Messages sent but not acked.</summary>
    public long Unacked => Sent - AckedCount;

    private static bool IsSet(ulong[] bits, long k)
    {
        var word = k >> 6;
        return word < bits.Length && (bits[word] & (1UL << (int)(k & 63))) != 0;
    }

    private static void Set(ref ulong[] bits, long k)
    {
        var word = (int)(k >> 6);
        if (word >= bits.Length)
        {
            Array.Resize(ref bits, Math.Max(bits.Length * 2, word + 1));
        }

        bits[word] |= 1UL << (int)(k & 63);
    }
}
