using System.Buffers;
using Google.Protobuf;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;
using TeamTalk.Orleans.Protocol.Messages.SwitchService;

namespace TeamTalk.Orleans.UnitTests.Framing;

public sealed class FrameWriterTests
{
    private static UserInfo CompleteUserInfo() => new()
    {
        UserId = 42,
        UserGender = 1,
        UserNickName = "小明",
        AvatarUrl = "http://x/a.png",
        DepartmentId = 3,
        Email = "a@b.c",
        UserRealName = "明",
        UserTel = "123",
        UserDomain = "xm",
        Status = 0,
    };

    [Fact]
    public void Write_produces_a_server_header_and_a_body_that_parses_back_equal()
    {
        var message = new IMLoginRes
        {
            ServerTime = 1_700_000_000,
            ResultCode = ResultType.RefuseReasonNone,
            ResultString = "成功",
            OnlineStatus = UserStatType.UserStatusOnline,
            UserInfo = CompleteUserInfo(),
        };
        var output = new ArrayBufferWriter<byte>();
        output.Write<byte>([0xEE]); // something already buffered must be kept

        var written = FrameWriter.Write(output, 0x0001, 0x0104, 0xBEEF, message);

        var bytes = output.WrittenSpan[1..].ToArray();
        Assert.Equal(0xEE, output.WrittenSpan[0]);
        Assert.Equal(bytes.Length, written);
        Assert.Equal(16 + message.CalculateSize(), written);

        byte[] expectedHeader =
        [
            (byte)(written >> 24), (byte)(written >> 16), (byte)(written >> 8), (byte)written,
            0x00, 0x01, // version 1
            0x00, 0x00, // flag 0
            0x00, 0x01, // service
            0x01, 0x04, // command
            0xBE, 0xEF, // seq
            0x00, 0x00, // reserved 0
        ];
        Assert.Equal(expectedHeader, bytes[..16]);
        Assert.Equal(new PacketHeader((uint)written, 1, 0, 1, 0x0104, 0xBEEF, 0), PacketHeader.Read(bytes));

        var parsed = IMLoginRes.Parser.ParseFrom(bytes[16..]);
        Assert.Equal(message, parsed);
        Assert.Equal(message.ToByteArray(), bytes[16..]);
    }

    [Fact]
    public void Written_frames_can_be_read_back_by_the_reader()
    {
        var output = new ArrayBufferWriter<byte>();
        var key = CommandKeys.LogoutResponse;
        FrameWriter.Write(output, key.ServiceId, key.CommandId, 5, new IMLogoutRsp { ResultCode = 0 });
        FrameWriter.Write(output, 7, 0x0701, 6, new TeamTalk.Orleans.Protocol.Messages.Other.IMHeartBeat());

        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, 1024, out var header, out var body));
        Assert.Equal(new PacketHeader(18, 1, 0, 1, 0x0106, 5, 0), header);
        Assert.Equal([0x08, 0x00], body.ToArray());
        Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, 1024, out header, out body));
        Assert.Equal(new PacketHeader(16, 1, 0, 7, 0x0701, 6, 0), header);
        Assert.True(body.IsEmpty);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void WriteRaw_echoes_the_original_header_bytes()
    {
        // An Android heartbeat: version 6, reserved 0x0030, an odd flag; echoed byte for byte.
        byte[] pdu = [0x00, 0x00, 0x00, 0x13, 0x00, 0x06, 0x12, 0x34, 0x00, 0x07, 0x07, 0x01, 0x80, 0x02, 0x00, 0x30, 0x01, 0x02, 0x03];
        var buffer = new ReadOnlySequence<byte>(pdu);
        Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, 1024, out var header, out var body));

        var output = new ArrayBufferWriter<byte>();
        var written = FrameWriter.WriteRaw(output, header, body.ToArray());

        Assert.Equal(pdu.Length, written);
        Assert.Equal(pdu, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteRaw_sets_the_length_from_the_body_it_writes()
    {
        var header = new PacketHeader(9999, 6, 0x0102, 7, 0x0701, 3, 0x0030);
        var output = new ArrayBufferWriter<byte>();

        var written = FrameWriter.WriteRaw(output, header, [0xAA, 0xBB]);

        Assert.Equal(18, written);
        Assert.Equal(header with { Length = 18 }, PacketHeader.Read(output.WrittenSpan));
        Assert.Equal([0xAA, 0xBB], output.WrittenSpan[16..].ToArray());
    }

    [Fact]
    public void Missing_required_field_makes_the_message_incomplete()
    {
        Assert.False(RequiredFields.IsComplete(new IMLoginRes { ServerTime = 1 }));
        Assert.False(RequiredFields.IsComplete(new IMLogoutRsp()));
        Assert.False(RequiredFields.IsComplete(new IMP2PCmdMsg { FromUserId = 1, ToUserId = 2 }));

        // Recursive: a complete outer message with an incomplete nested one is incomplete.
        var nested = new IMLoginRes { ServerTime = 1, ResultCode = ResultType.RefuseReasonNone, UserInfo = new UserInfo { UserId = 1 } };
        Assert.False(RequiredFields.IsComplete(nested));
        nested.UserInfo = CompleteUserInfo();
        Assert.True(RequiredFields.IsComplete(nested));
    }

    [Fact]
    public void Required_zero_and_empty_values_count_as_set_and_are_on_the_wire()
    {
        var login = new IMLoginRes { ServerTime = 1, ResultCode = ResultType.RefuseReasonNone };
        Assert.True(RequiredFields.IsComplete(login));
        Assert.Equal([0x08, 0x01, 0x10, 0x00], login.ToByteArray());

        var logout = new IMLogoutRsp { ResultCode = 0 };
        Assert.True(RequiredFields.IsComplete(logout));
        Assert.Equal([0x08, 0x00], logout.ToByteArray());

        var p2p = new IMP2PCmdMsg { FromUserId = 0, ToUserId = 0, CmdMsgData = string.Empty };
        Assert.True(RequiredFields.IsComplete(p2p));
        Assert.Equal([0x08, 0x00, 0x10, 0x00, 0x1A, 0x00], p2p.ToByteArray());

        var output = new ArrayBufferWriter<byte>();
        FrameWriter.Write(output, 1, 0x0106, 0, logout);
        Assert.Equal([0x00, 0x00, 0x00, 0x12], output.WrittenSpan[..4].ToArray());
        Assert.Equal([0x08, 0x00], output.WrittenSpan[16..].ToArray());
    }

    [Fact]
    public void UserInfo_with_every_required_field_at_its_zero_value_writes_every_tag()
    {
        var info = new UserInfo
        {
            UserId = 0, UserGender = 0, UserNickName = string.Empty, AvatarUrl = string.Empty, DepartmentId = 0,
            Email = string.Empty, UserRealName = string.Empty, UserTel = string.Empty, UserDomain = string.Empty, Status = 0,
        };
        Assert.True(RequiredFields.IsComplete(info));

        // Tags of fields 1..10 (varint = wire type 0, string = wire type 2), each followed by 0 (value or length).
        byte[] expected = [0x08, 0, 0x10, 0, 0x1A, 0, 0x22, 0, 0x28, 0, 0x32, 0, 0x3A, 0, 0x42, 0, 0x4A, 0, 0x50, 0];
        Assert.Equal(expected, info.ToByteArray());
    }

    [Fact]
    public void Optional_field_left_unset_is_not_on_the_wire()
    {
        var rsp = new IMMsgServRsp { ResultCode = ResultType.RefuseReasonNone };
        Assert.True(RequiredFields.IsComplete(rsp));
        Assert.Equal([0x08, 0x00], rsp.ToByteArray());
    }
}
