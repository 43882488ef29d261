using TeamTalk.Orleans.LoadGen.Metrics;

namespace TeamTalk.Orleans.LoadGen.Tests;

public sealed class LedgerTests
{
    [Fact]
    public void Seq_is_never_zero_and_wraps_after_65535_messages()
    {
        Assert.Equal(1, MessageLedger.SeqFor(0));
        Assert.Equal(65535, MessageLedger.SeqFor(65534));
        Assert.Equal(1, MessageLedger.SeqFor(65535));
    }

    [Fact]
    public void Acks_match_messages_by_seq_in_any_order()
    {
        var ledger = new MessageLedger();
        for (var k = 0; k < 5; k++)
        {
            ledger.MarkSent(k);
        }

        Assert.Equal(2, ledger.Ack(MessageLedger.SeqFor(2)));
        Assert.Equal(0, ledger.Ack(MessageLedger.SeqFor(0)));
        Assert.Equal(4, ledger.Ack(MessageLedger.SeqFor(4)));
        Assert.Equal(3, ledger.AckedCount);
        Assert.Equal(2, ledger.Unacked);
        Assert.True(ledger.IsAcked(2));
        Assert.False(ledger.IsAcked(1));
    }

    [Fact]
    public void An_ack_for_a_message_not_sent_or_already_acked_is_unmatched()
    {
        var ledger = new MessageLedger();
        ledger.MarkSent(0);
        Assert.Equal(-1, ledger.Ack(MessageLedger.SeqFor(5)));
        Assert.Equal(0, ledger.Ack(MessageLedger.SeqFor(0)));
        Assert.Equal(-1, ledger.Ack(MessageLedger.SeqFor(0)));
        Assert.Equal(-1, ledger.Ack(0));
        Assert.Equal(3, ledger.UnmatchedAcks);
        Assert.Equal(1, ledger.AckedCount);
    }

    [Fact]
    public void Acks_after_the_seq_wrapped_match_the_later_messages()
    {
        var ledger = new MessageLedger();
        const long total = 70_000;
        for (long k = 0; k < total; k++)
        {
            ledger.MarkSent(k);
            Assert.Equal(k, ledger.Ack(MessageLedger.SeqFor(k)));
        }

        Assert.Equal(total, ledger.AckedCount);
        Assert.Equal(0, ledger.UnmatchedAcks);
    }

    [Fact]
    public void A_missing_ack_before_the_wrap_does_not_capture_a_later_message()
    {
        var ledger = new MessageLedger();
        for (long k = 0; k <= 65535; k++)
        {
            ledger.MarkSent(k);
        }

        // message 0 is never acked (e.g. dropped by a rate limit); message 65535 shares its seq
        for (long k = 1; k < 65535; k++)
        {
            ledger.Ack(MessageLedger.SeqFor(k));
        }

        Assert.Equal(0, ledger.Ack(MessageLedger.SeqFor(65535))); // oldest unacked with that seq
        Assert.Equal(1, ledger.Unacked);
    }

    [Fact]
    public void Loss_is_acked_but_not_delivered_and_duplicates_and_reordering_are_counted()
    {
        var ledger = new MessageLedger();
        for (var k = 0; k < 4; k++)
        {
            ledger.MarkSent(k);
            ledger.Ack(MessageLedger.SeqFor(k));
        }

        Assert.True(ledger.Deliver(0, msgId: 10));
        Assert.True(ledger.Deliver(2, msgId: 12));
        Assert.True(ledger.Deliver(1, msgId: 11)); // lower id after a higher one: out of order
        Assert.False(ledger.Deliver(1, msgId: 11)); // duplicate
        Assert.Equal(1, ledger.AckedNotDelivered()); // message 3
        Assert.Equal(3, ledger.DeliveredCount);
        Assert.Equal(1, ledger.DuplicateDeliveries);
        Assert.Equal(2, ledger.OutOfOrder);
    }

    [Fact]
    public void A_delivered_message_that_was_never_acked_is_not_loss()
    {
        var ledger = new MessageLedger();
        ledger.MarkSent(0);
        ledger.Deliver(0, 1);
        Assert.Equal(0, ledger.AckedNotDelivered());
        Assert.Equal(1, ledger.Unacked);
    }
}
