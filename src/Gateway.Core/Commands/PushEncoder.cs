using Google.Protobuf;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.File;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.Protocol.Messages.SwitchService;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>Maps what grains push to the protobuf message and command it travels as (always seq 0).</summary>
internal static class PushEncoder
{
    public static (CommandKey Command, IMessage Body) Encode(ClientPush push) => push switch
    {
        MessagePush m => (CommandKeys.MessageData, new IMMsgData
        {
            FromUserId = m.FromUserId,
            ToSessionId = m.ToSessionId,
            MsgId = m.MsgId,
            CreateTime = m.CreateTime,
            MsgType = (MsgType)m.MsgType,
            MsgData = ByteString.CopyFrom(m.Data),
        }),
        ReadNotifyPush r => (CommandKeys.ReadNotify, new IMMsgDataReadNotify
        {
            UserId = r.UserId,
            SessionId = r.SessionId,
            MsgId = r.MsgId,
            SessionType = (SessionType)r.SessionType,
        }),
        RemoveSessionNotifyPush r => (CommandKeys.RemoveSessionNotify, new IMRemoveSessionNotify
        {
            UserId = r.UserId,
            SessionType = (SessionType)r.SessionType,
            SessionId = r.SessionId,
        }),
        UserStatusPush s => (CommandKeys.UserStatusNotify, new IMUserStatNotify
        {
            UserStat = new UserStat { UserId = s.UserId, Status = s.Online ? UserStatType.UserStatusOnline : UserStatType.UserStatusOffline },
        }),
        PcLoginStatusPush p => (CommandKeys.PcLoginStatusNotify, new IMPCLoginStatusNotify
        {
            UserId = p.UserId,
            LoginStat = p.Online ? UserStatType.UserStatusOnline : UserStatType.UserStatusOffline,
        }),
        P2PCommandPush p => (CommandKeys.P2PCommand, new IMP2PCmdMsg
        {
            FromUserId = p.FromUserId,
            ToUserId = p.ToUserId,
            CmdMsgData = p.Command,
        }),
        GroupMembersChangedPush g => (CommandKeys.GroupChangeMemberNotify, MembersChanged(g)),
        SignInfoChangedPush s => (CommandKeys.SignInfoChangedNotify, new IMSignInfoChangedNotify { ChangedUserId = s.UserId, SignInfo = s.SignInfo }),
        AvatarChangedPush a => (CommandKeys.AvatarChangedNotify, new IMAvatarChangedNotify { ChangedUserId = a.UserId, AvatarUrl = a.AvatarUrl }),
        FileNotifyPush f => (CommandKeys.FileNotify, FileNotify(f)),
        _ => throw new ArgumentOutOfRangeException(nameof(push), push.GetType().Name, "no encoding for this push"),
    };

    private static IMFileNotify FileNotify(FileNotifyPush f)
    {
        var notify = new IMFileNotify
        {
            FromUserId = f.FromUserId,
            ToUserId = f.ToUserId,
            FileName = f.FileName,
            FileSize = f.FileSize,
            TaskId = f.TaskId,
            TransMode = (TransferFileType)f.Mode,
            OfflineReady = f.OfflineReady ? 1u : 0u,
        };
        notify.IpAddrList.AddRange(f.Addresses.Select(a => new IpAddr { Ip = a.Ip, Port = (uint)a.Port }));
        return notify;
    }

    private static IMGroupChangeMemberNotify MembersChanged(GroupMembersChangedPush g)
    {
        var notify = new IMGroupChangeMemberNotify { UserId = g.UserId, ChangeType = (GroupModifyType)g.ChangeType, GroupId = g.GroupId };
        notify.CurUserIdList.AddRange(g.CurrentMembers);
        notify.ChgUserIdList.AddRange(g.Changed);
        return notify;
    }
}
