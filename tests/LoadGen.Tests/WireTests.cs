using Google.Protobuf;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Scenarios;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.LoadGen.Tests;

public sealed class WireTests
{
    [Fact]
    public void Hand_encoded_IMMsgData_parses_with_the_generated_class_and_has_every_required_field()
    {
        var buffer = new byte[256];
        var payload = new byte[64];
        var length = MessagePayload.Write(payload, k: 42, intendedTicks: 123_456_789, totalBytes: 50);
        var writer = new ProtoWriter(buffer);
        writer.UInt32(1, 1001);
        writer.UInt32(2, 300_000);
        writer.UInt32(3, 0);
        writer.UInt32(4, 0);
        writer.UInt32(5, 1);
        writer.Bytes(6, payload.AsSpan(0, length));

        var parsed = IMMsgData.Parser.ParseFrom(buffer.AsSpan(0, writer.Length));
        Assert.True(parsed.IsInitialized());
        Assert.Equal(1001u, parsed.FromUserId);
        Assert.Equal(300_000u, parsed.ToSessionId);
        Assert.Equal(MsgType.SingleText, parsed.MsgType);
        Assert.Equal(50, parsed.MsgData.Length);
        Assert.True(MessagePayload.TryParse(parsed.MsgData.Span, out var k, out var ticks));
        Assert.Equal(42, k);
        Assert.Equal(123_456_789, ticks);
    }

    [Fact]
    public void The_probe_request_parses_with_the_generated_class_and_has_every_required_field()
    {
        var buffer = new byte[64];
        var length = ChatStream.WriteProbe(buffer, userId: 1001, peer: 300_000);

        var parsed = IMGetLatestMsgIdReq.Parser.ParseFrom(buffer.AsSpan(0, length));
        Assert.True(parsed.IsInitialized());
        Assert.Equal(1001u, parsed.UserId);
        Assert.Equal(SessionType.Single, parsed.SessionType);
        Assert.Equal(300_000u, parsed.SessionId);
    }

    [Fact]
    public void The_reader_finds_the_fields_of_a_generated_IMMsgData()
    {
        var message = new IMMsgData
        {
            FromUserId = 7,
            ToSessionId = 8,
            MsgId = 70_000,
            CreateTime = 1_700_000_000,
            MsgType = MsgType.SingleText,
            MsgData = ByteString.CopyFromUtf8("lg:3:99:xx"),
            AttachData = ByteString.CopyFromUtf8("attached"),
        };
        var reader = new ProtoReader(message.ToByteArray());
        uint from = 0, msgId = 0;
        var text = string.Empty;
        while (reader.Next(out var field, out _, out var value, out var bytes))
        {
            switch (field)
            {
                case 1: from = (uint)value; break;
                case 3: msgId = (uint)value; break;
                case 6: text = System.Text.Encoding.UTF8.GetString(bytes); break;
            }
        }

        Assert.Equal(7u, from);
        Assert.Equal(70_000u, msgId);
        Assert.Equal("lg:3:99:xx", text);
    }

    [Fact]
    public void The_reader_stops_on_truncated_input()
    {
        var bytes = new IMMsgData { FromUserId = 1, ToSessionId = 2, MsgId = 3, CreateTime = 4, MsgType = MsgType.SingleText, MsgData = ByteString.CopyFromUtf8("hello") }.ToByteArray();
        var reader = new ProtoReader(bytes.AsSpan(0, bytes.Length - 2));
        var fields = 0;
        while (reader.Next(out _, out _, out _, out _))
        {
            fields++;
        }

        Assert.Equal(5, fields); // the length-delimited msg_data runs past the end and is not returned
    }

    [Fact]
    public void Hand_encoded_delivery_ack_equals_the_generated_encoding()
    {
        var buffer = new byte[32];
        var writer = new ProtoWriter(buffer);
        writer.UInt32(1, 5);
        writer.UInt32(2, 6);
        writer.UInt32(3, 300);
        writer.UInt32(4, 1);
        var expected = new IMMsgDataAck { UserId = 5, SessionId = 6, MsgId = 300, SessionType = SessionType.Single }.ToByteArray();
        Assert.Equal(expected, buffer.AsSpan(0, writer.Length).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(200)]
    public void Payloads_carry_k_and_the_intended_time_and_have_the_requested_size(int size)
    {
        var buffer = new byte[Math.Max(size, MessagePayload.MaxHeaderBytes)];
        var length = MessagePayload.Write(buffer, 123_456, long.MaxValue, size);
        Assert.True(length >= size);
        Assert.True(MessagePayload.TryParse(buffer.AsSpan(0, length), out var k, out var ticks));
        Assert.Equal(123_456, k);
        Assert.Equal(long.MaxValue, ticks);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("lg:")]
    [InlineData("lg:12")]
    [InlineData("lg:12:")]
    [InlineData("lg:x:5:")]
    [InlineData("lg:5:y:")]
    public void Foreign_texts_are_not_mistaken_for_ours(string text) =>
        Assert.False(MessagePayload.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _, out _));

    [Fact]
    public void Proc_stat_parsing_handles_command_names_with_spaces_and_parentheses()
    {
        const string stat = "1234 (my (odd) proc) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 75 0 0 20 0 8 0 100 1000000 500 18446744073709551615";
        Assert.Equal(325, ProcStat.ParseCpuTicks(stat));
        Assert.Equal(20480, ProcStat.ParseRssKiB("Name:\tx\nVmPeak:\t  99999 kB\nVmRSS:\t   20480 kB\nThreads:\t8\n"));
        Assert.Equal(0, ProcStat.ParseRssKiB("Name:\tzombie\n"));
    }

    [Fact]
    public void This_process_can_be_read_from_proc()
    {
        var sample = ProcStat.Read(Environment.ProcessId);
        Assert.True(sample.Alive);
        Assert.True(sample.RssKiB > 0);
        Assert.True(sample.CpuTicks >= 0);
        Assert.False(ProcStat.Read(int.MaxValue).Alive);
    }
}
