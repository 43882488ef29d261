using System.Buffers;
using Google.Protobuf;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;
using TeamTalk.Orleans.UnitTests.Framing;

namespace TeamTalk.Orleans.UnitTests.Wire;

/// <summary>
/// Whatever a client sends as a body, parsing either throws <see cref="InvalidProtocolBufferException"/> (which the
/// command handlers catch) or yields a message — never any other exception that would escape to the connection loop.
/// </summary>
public sealed class GarbageBodyTests
{
    private const int Iterations = 4000;

    private enum Outcome
    {
        Rejected,
        Incomplete,
        Complete,
    }

    private static Outcome Classify(byte[] body, int split)
    {
        IMLoginReq parsed;
        try
        {
            // Parse the way the command handlers do: from a (here two-segment) sequence.
            parsed = IMLoginReq.Parser.ParseFrom(Segments.Split(body, split));
        }
        catch (InvalidProtocolBufferException)
        {
            Assert.Throws<InvalidProtocolBufferException>(() => IMLoginReq.Parser.ParseFrom(body));
            return Outcome.Rejected;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{ex.GetType().Name} parsing {Convert.ToHexString(body)}: {ex.Message}");
            throw;
        }

        Assert.Equal(parsed, IMLoginReq.Parser.ParseFrom(body));
        if (!RequiredFields.IsComplete(parsed))
        {
            Assert.False(parsed.HasUserName && parsed.HasPassword && parsed.HasOnlineStatus && parsed.HasClientType);
            return Outcome.Incomplete;
        }

        // A complete message re-encodes and parses back to itself.
        Assert.True(parsed.HasUserName && parsed.HasPassword && parsed.HasOnlineStatus && parsed.HasClientType);
        Assert.Equal(parsed, IMLoginReq.Parser.ParseFrom(parsed.ToByteArray()));
        return Outcome.Complete;
    }

    [Fact]
    public void Random_bytes_never_throw_anything_but_InvalidProtocolBufferException()
    {
        var random = new Random(20240601);
        var counts = new Dictionary<Outcome, int>();
        for (var i = 0; i < Iterations; i++)
        {
            var body = new byte[random.Next(0, 80)];
            random.NextBytes(body);
            var outcome = Classify(body, random.Next(0, body.Length + 1));
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(counts.GetValueOrDefault(Outcome.Rejected) > Iterations / 4, $"rejected {counts.GetValueOrDefault(Outcome.Rejected)}");
        Assert.True(counts.GetValueOrDefault(Outcome.Incomplete) > 0);
    }

    [Fact]
    public void Mutated_valid_bodies_never_throw_anything_but_InvalidProtocolBufferException()
    {
        var valid = new IMLoginReq
        {
            UserName = "user",
            Password = "e10adc3949ba59abbe56e057f20f883e",
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = ClientType.Android,
            ClientVersion = "2.0",
        }.ToByteArray();
        var random = new Random(7);
        var counts = new Dictionary<Outcome, int>();
        for (var i = 0; i < Iterations; i++)
        {
            var body = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            var cut = random.Next(4) == 0 ? body[..random.Next(body.Length)] : body;
            var outcome = Classify(cut, random.Next(0, cut.Length + 1));
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(counts.GetValueOrDefault(Outcome.Rejected) > 0);
        Assert.True(counts.GetValueOrDefault(Outcome.Incomplete) > 0);
        Assert.True(counts.GetValueOrDefault(Outcome.Complete) > 0);
    }

    [Fact]
    public void Truncated_and_oversized_length_prefixes_are_rejected()
    {
        // Field 1 (string) announcing 100 bytes with 2 present; a varint that never ends; a 2 GiB length.
        byte[][] bodies =
        [
            [0x0A, 0x64, 0x61, 0x62],
            [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07],
            [0x0B], // start group without end
            [0x07], // wire type 7 does not exist
        ];
        foreach (var body in bodies)
        {
            Assert.Equal(Outcome.Rejected, Classify(body, 1));
        }
    }

    [Fact]
    public void Empty_body_parses_as_an_incomplete_login()
    {
        Assert.Equal(Outcome.Incomplete, Classify([], 0));
        Assert.False(RequiredFields.IsComplete(IMLoginReq.Parser.ParseFrom(ReadOnlySequence<byte>.Empty)));
    }

    [Fact]
    public void Undefined_enum_values_are_kept_by_the_runtime_so_handlers_must_check_them()
    {
        // proto2 C++ (the original) treats an undefined value of a closed enum as an unknown field, so a required enum
        // holding one makes the message fail to parse; the C# runtime keeps the raw number and reports it initialized.
        var body = new IMLoginReq
        {
            UserName = "u",
            Password = "p",
            OnlineStatus = (UserStatType)99,
            ClientType = (ClientType)5,
        }.ToByteArray();

        var parsed = IMLoginReq.Parser.ParseFrom(body);

        Assert.True(RequiredFields.IsComplete(parsed));
        Assert.Equal(99, (int)parsed.OnlineStatus);
        Assert.Equal(5, (int)parsed.ClientType);
        Assert.False(Enum.IsDefined(parsed.OnlineStatus));
    }
}
