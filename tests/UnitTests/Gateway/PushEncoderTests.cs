using Google.Protobuf;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>Every push grains send maps to its command and a protobuf message with every required field written.</summary>
public sealed class PushEncoderTests
{
    public static TheoryData<ClientPush, CommandKey> Pushes => new()
    {
        { new MessagePush(1, 2, 3, 4, MessageType.GroupText, []), CommandKeys.MessageData },
        { new ReadNotifyPush(1, 2, 3, TeamTalk.Orleans.Grains.Models.SessionType.Group), CommandKeys.ReadNotify },
        { new RemoveSessionNotifyPush(1, TeamTalk.Orleans.Grains.Models.SessionType.Group, 3), CommandKeys.RemoveSessionNotify },
        { new UserStatusPush(1, true), CommandKeys.UserStatusNotify },
        { new PcLoginStatusPush(1, false), CommandKeys.PcLoginStatusNotify },
        { new P2PCommandPush(1, 2, string.Empty), CommandKeys.P2PCommand },
        { new GroupMembersChangedPush(1, 2, 3, [], []), CommandKeys.GroupChangeMemberNotify },
        { new SignInfoChangedPush(1, string.Empty), CommandKeys.SignInfoChangedNotify },
        { new AvatarChangedPush(1, string.Empty), CommandKeys.AvatarChangedNotify },
    };

    [Theory]
    [MemberData(nameof(Pushes))]
    public void Each_push_has_its_command_and_all_required_fields(ClientPush push, CommandKey command)
    {
        var (encoded, body) = PushEncoder.Encode(push);

        Assert.Equal(command, encoded);
        Assert.True(body.IsInitialized(), $"{body.Descriptor.Name} lacks a required field");
    }

    [Fact]
    public void A_member_change_carries_both_lists_in_order()
    {
        var (_, body) = PushEncoder.Encode(new GroupMembersChangedPush(7, 1, 42, [3, 1, 2], [2]));

        var notify = Assert.IsType<IMGroupChangeMemberNotify>(body);
        Assert.Equal((7u, GroupModifyType.Add, 42u), (notify.UserId, notify.ChangeType, notify.GroupId));
        Assert.Equal([3u, 1, 2], notify.CurUserIdList);
        Assert.Equal([2u], notify.ChgUserIdList);
    }

    [Fact]
    public void A_group_message_is_addressed_to_the_group()
    {
        var (_, body) = PushEncoder.Encode(new MessagePush(5, 42, 9, 1_700_000_000, MessageType.GroupText, "hi"u8.ToArray()));

        var message = Assert.IsType<IMMsgData>(body);
        Assert.Equal((5u, 42u, 9u, MsgType.GroupText), (message.FromUserId, message.ToSessionId, message.MsgId, message.MsgType));
        Assert.Equal(ByteString.CopyFromUtf8("hi"), message.MsgData);
    }
}
