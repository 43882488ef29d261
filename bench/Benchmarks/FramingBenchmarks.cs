using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Benchmarks;

/// <summary>
/// The frame parser (<see cref="FrameReader"/>) and encoder (<see cref="FrameWriter"/>, <see cref="PacketHeader"/>) on
/// their own: what every frame in and out of the gateway goes through. Target: zero bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private ReadOnlySequence<byte> single;
    private ReadOnlySequence<byte> split;
    private readonly ArrayBufferWriter<byte> output = new(4096);
    private readonly byte[] headerBytes = new byte[PacketHeader.Size];
    private IMMsgDataAck ack = null!;
    private IMMsgData data = null!;

    [GlobalSetup]
    public void Setup()
    {
        data = new IMMsgData
        {
            FromUserId = 1001,
            ToSessionId = 1002,
            MsgId = 123_456,
            CreateTime = 1_700_000_000,
            MsgType = MsgType.SingleText,
            MsgData = ByteString.CopyFromUtf8("lg:123:45678901234:xxxxxxxxxxxxxxxxxxx"),
        };
        ack = new IMMsgDataAck { UserId = 1001, SessionId = 1002, MsgId = 123_456, SessionType = SessionType.Single };
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, CommandKeys.MessageData.ServiceId, CommandKeys.MessageData.CommandId, 7, data);
        var frame = writer.WrittenMemory.ToArray();
        single = new ReadOnlySequence<byte>(frame);
        // The same frame cut inside its header: the reader copies the header into a stack buffer.
        split = Segments.Create(frame.AsMemory(0, 5), frame.AsMemory(5));
    }

    [Benchmark(Description = "FrameReader.TryRead (one segment)")]
    public int ReadFrame()
    {
        var buffer = single;
        FrameReader.TryRead(ref buffer, 1 << 20, out var header, out var body);
        return header.CommandId + (int)body.Length;
    }

    [Benchmark(Description = "FrameReader.TryRead (header split over two segments)")]
    public int ReadSplitFrame()
    {
        var buffer = split;
        FrameReader.TryRead(ref buffer, 1 << 20, out var header, out var body);
        return header.CommandId + (int)body.Length;
    }

    [Benchmark(Description = "FrameWriter.Write IMMsgDataAck")]
    public int WriteAck()
    {
        output.ResetWrittenCount();
        return FrameWriter.Write(output, CommandKeys.MessageDataAck.ServiceId, CommandKeys.MessageDataAck.CommandId, 7, ack);
    }

    [Benchmark(Description = "FrameWriter.Write IMMsgData (push)")]
    public int WriteMessage()
    {
        output.ResetWrittenCount();
        return FrameWriter.Write(output, CommandKeys.MessageData.ServiceId, CommandKeys.MessageData.CommandId, 0, data);
    }

    [Benchmark(Description = "PacketHeader write + read")]
    public int HeaderRoundTrip()
    {
        PacketHeader.ForServer(1, 769, 9, 40).Write(headerBytes);
        return PacketHeader.Read(headerBytes).CommandId;
    }
}

/// <summary>Builds multi-segment sequences.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory) => Memory = memory;

    public static ReadOnlySequence<byte> Create(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var a = new Segments(first);
        var b = new Segments(second) { RunningIndex = first.Length };
        a.Next = b;
        return new ReadOnlySequence<byte>(a, 0, b, second.Length);
    }
}
