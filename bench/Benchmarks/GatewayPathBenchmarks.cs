using System.Buffers;
using System.IO.Pipelines;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Benchmarks;

/// <summary>
/// The gateway's own work for one 1:1 message, step by step as src/Gateway does it (its classes are internal, so the
/// steps are repeated here with the same public calls: CommandHandler parse + checks, MessageDataHandler validation and
/// grain-call argument, the IMMsgDataAck written by ClientConnection, PushEncoder + write for the receiver's push),
/// plus the Orleans serialization of the grain-call argument and of the push. Bytes allocated per message on the
/// gateway path = inbound + ack + push (+ the two serializations). Kept in step with src/Gateway by hand.
/// </summary>
[MemoryDiagnoser]
public class GatewayPathBenchmarks
{
    private static readonly MessageParser<IMMsgData> Parser = IMMsgData.Parser;
    private readonly Pipe pipe = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private ReadOnlySequence<byte> body;
    private MessagePush push = null!;
    private SendMessage send = null!;
    private Serializer serializer = null!;
    private readonly byte[] serialized = new byte[1024];
    private byte[] pushBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        var message = new IMMsgData
        {
            FromUserId = 1001,
            ToSessionId = 1002,
            MsgId = 0,
            CreateTime = 0,
            MsgType = MsgType.SingleText,
            MsgData = ByteString.CopyFromUtf8("lg:123:45678901234:xxxxxxxxxxxxxxxxxxx"),
        };
        body = new ReadOnlySequence<byte>(message.ToByteArray());
        push = new MessagePush(1001, 1002, 123_456, 1_700_000_000, MessageType.SingleText, message.MsgData.ToByteArray());
        send = new SendMessage(1001, 1002, new ConnectionRef("gw-1", 42), MessageType.SingleText, message.MsgData.ToByteArray());
        serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(SendMessage).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();
        pushBytes = serializer.SerializeToArray<ClientPush>(push);
    }

    [Benchmark(Description = "inbound CID_MSG_DATA: parse, checks, validate, SendMessage")]
    public object Inbound()
    {
        var request = Parser.ParseFrom(body);
        if (!request.IsInitialized() || !RequiredFields.HasOnlyDefinedEnums(request) || !Utf8.IsValid(request.MsgData.Span))
        {
            throw new InvalidOperationException("bad message");
        }

        var data = request.MsgData.Span;
        var characters = 0;
        while (!data.IsEmpty)
        {
            System.Text.Rune.DecodeFromUtf8(data, out _, out var consumed);
            data = data[consumed..];
            characters++;
        }

        return new SendMessage(1001, request.ToSessionId, new ConnectionRef("gw-1", 42), (MessageType)request.MsgType, request.MsgData.ToByteArray());
    }

    [Benchmark(Description = "IMMsgDataAck: build, required-field check, write to the pipe")]
    public int Ack()
    {
        var ack = new IMMsgDataAck { UserId = 1001, SessionId = 1002, MsgId = 123_456, SessionType = Protocol.Messages.BaseDefine.SessionType.Single };
        if (!RequiredFields.IsComplete(ack))
        {
            throw new InvalidOperationException("incomplete");
        }

        var n = FrameWriter.Write(pipe.Writer, CommandKeys.MessageDataAck.ServiceId, CommandKeys.MessageDataAck.CommandId, 7, ack);
        Drain();
        return n;
    }

    [Benchmark(Description = "push IMMsgData: PushEncoder mapping, check, write to the pipe")]
    public int Push()
    {
        var message = new IMMsgData
        {
            FromUserId = push.FromUserId,
            ToSessionId = push.ToSessionId,
            MsgId = push.MsgId,
            CreateTime = push.CreateTime,
            MsgType = (MsgType)push.MsgType,
            MsgData = ByteString.CopyFrom(push.Data),
        };
        if (!RequiredFields.IsComplete(message))
        {
            throw new InvalidOperationException("incomplete");
        }

        var n = FrameWriter.Write(pipe.Writer, CommandKeys.MessageData.ServiceId, CommandKeys.MessageData.CommandId, 0, message);
        Drain();
        return n;
    }

    [Benchmark(Description = "Orleans serialization of SendMessage (grain-call argument)")]
    public int SerializeSend()
    {
        Memory<byte> output = serialized;
        serializer.Serialize(send, ref output);
        return output.Length;
    }

    [Benchmark(Description = "Orleans deserialization of MessagePush (observer-call argument)")]
    public object DeserializePush() => serializer.Deserialize<ClientPush>(pushBytes)!;

    private void Drain()
    {
        var flushed = pipe.Writer.FlushAsync();
        if (!flushed.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("an unbounded pipe flushes synchronously");
        }

        pipe.Reader.TryRead(out var result);
        pipe.Reader.AdvanceTo(result.Buffer.End);
    }
}
