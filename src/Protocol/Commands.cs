using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.Protocol;

/// <summary>A (service id, command id) pair as carried in the header.</summary>
public readonly record struct CommandKey(ushort ServiceId, ushort CommandId)
{
    public static CommandKey Of(ServiceID service, LoginCmdID command) => new((ushort)service, (ushort)command);

    public static CommandKey Of(ServiceID service, OtherCmdID command) => new((ushort)service, (ushort)command);

    public static CommandKey Of(ServiceID service, BuddyListCmdID command) => new((ushort)service, (ushort)command);

    public static CommandKey Of(ServiceID service, MessageCmdID command) => new((ushort)service, (ushort)command);

    public static CommandKey Of(ServiceID service, GroupCmdID command) => new((ushort)service, (ushort)command);

    public static CommandKey Of(ServiceID service, FileCmdID command) => new((ushort)service, (ushort)command);

    public static CommandKey Of(ServiceID service, SwitchServiceCmdID command) => new((ushort)service, (ushort)command);

    public override string ToString() => $"0x{ServiceId:x4}/0x{CommandId:x4}";
}

/// <summary>The command keys the server sends or serves, named as in the wire reference.</summary>
public static class CommandKeys
{
    public static readonly CommandKey Heartbeat = CommandKey.Of(ServiceID.SidOther, OtherCmdID.CidOtherHeartbeat);
    public static readonly CommandKey LoginRequest = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginReqUserlogin);
    public static readonly CommandKey LoginResponse = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginResUserlogin);
    public static readonly CommandKey LogoutRequest = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginReqLoginout);
    public static readonly CommandKey LogoutResponse = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginResLoginout);
    public static readonly CommandKey KickUser = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginKickUser);
    public static readonly CommandKey MessageData = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgData);
    public static readonly CommandKey MessageDataAck = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgDataAck);
    public static readonly CommandKey ReadAck = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgReadAck);
    public static readonly CommandKey ReadNotify = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgReadNotify);
    public static readonly CommandKey TimeRequest = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgTimeRequest);
    public static readonly CommandKey TimeResponse = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgTimeResponse);
    public static readonly CommandKey UnreadRequest = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgUnreadCntRequest);
    public static readonly CommandKey UnreadResponse = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgUnreadCntResponse);
    public static readonly CommandKey ListRequest = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgListRequest);
    public static readonly CommandKey ListResponse = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgListResponse);
    public static readonly CommandKey LatestIdRequest = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgGetLatestMsgIdReq);
    public static readonly CommandKey LatestIdResponse = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgGetLatestMsgIdRsp);
    public static readonly CommandKey ByIdRequest = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgGetByMsgIdReq);
    public static readonly CommandKey ByIdResponse = CommandKey.Of(ServiceID.SidMsg, MessageCmdID.CidMsgGetByMsgIdRes);
    public static readonly CommandKey RecentSessionRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListRecentContactSessionRequest);
    public static readonly CommandKey RecentSessionResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListRecentContactSessionResponse);
    public static readonly CommandKey UserStatusNotify = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListStatusNotify);
    public static readonly CommandKey UserInfoRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListUserInfoRequest);
    public static readonly CommandKey UserInfoResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListUserInfoResponse);
    public static readonly CommandKey RemoveSessionRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListRemoveSessionReq);
    public static readonly CommandKey RemoveSessionResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListRemoveSessionRes);
    public static readonly CommandKey RemoveSessionNotify = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListRemoveSessionNotify);
    public static readonly CommandKey AllUserRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListAllUserRequest);
    public static readonly CommandKey AllUserResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListAllUserResponse);
    public static readonly CommandKey UsersStatusRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListUsersStatusRequest);
    public static readonly CommandKey UsersStatusResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListUsersStatusResponse);
    public static readonly CommandKey PcLoginStatusNotify = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListPcLoginStatusNotify);
    public static readonly CommandKey DepartmentRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListDepartmentRequest);
    public static readonly CommandKey DepartmentResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListDepartmentResponse);
    public static readonly CommandKey GroupNormalListRequest = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupNormalListRequest);
    public static readonly CommandKey GroupNormalListResponse = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupNormalListResponse);
    public static readonly CommandKey GroupInfoRequest = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupInfoRequest);
    public static readonly CommandKey GroupInfoResponse = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupInfoResponse);
    public static readonly CommandKey GroupCreateRequest = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupCreateRequest);
    public static readonly CommandKey GroupCreateResponse = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupCreateResponse);
    public static readonly CommandKey GroupChangeMemberRequest = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupChangeMemberRequest);
    public static readonly CommandKey GroupChangeMemberResponse = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupChangeMemberResponse);
    public static readonly CommandKey GroupShieldRequest = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupShieldGroupRequest);
    public static readonly CommandKey GroupShieldResponse = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupShieldGroupResponse);
    public static readonly CommandKey GroupChangeMemberNotify = CommandKey.Of(ServiceID.SidGroup, GroupCmdID.CidGroupChangeMemberNotify);
    public static readonly CommandKey P2PCommand = CommandKey.Of(ServiceID.SidSwitchService, SwitchServiceCmdID.CidSwitchP2PCmd);
    public static readonly CommandKey DeviceTokenRequest = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginReqDevicetoken);
    public static readonly CommandKey DeviceTokenResponse = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginResDevicetoken);
    public static readonly CommandKey KickPcClientRequest = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginReqKickpcclient);
    public static readonly CommandKey KickPcClientResponse = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginResKickpcclient);
    public static readonly CommandKey PushShieldRequest = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginReqPushShield);
    public static readonly CommandKey PushShieldResponse = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginResPushShield);
    public static readonly CommandKey QueryPushShieldRequest = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginReqQueryPushShield);
    public static readonly CommandKey QueryPushShieldResponse = CommandKey.Of(ServiceID.SidLogin, LoginCmdID.CidLoginResQueryPushShield);
    public static readonly CommandKey ChangeAvatarRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListChangeAvatarRequest);
    public static readonly CommandKey ChangeAvatarResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListChangeAvatarResponse);
    public static readonly CommandKey AvatarChangedNotify = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListAvatarChangedNotify);
    public static readonly CommandKey ChangeSignInfoRequest = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListChangeSignInfoRequest);
    public static readonly CommandKey ChangeSignInfoResponse = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListChangeSignInfoResponse);
    public static readonly CommandKey SignInfoChangedNotify = CommandKey.Of(ServiceID.SidBuddyList, BuddyListCmdID.CidBuddyListSignInfoChangedNotify);
    public static readonly CommandKey FileLoginRequest = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileLoginReq);
    public static readonly CommandKey FileLoginResponse = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileLoginRes);
    public static readonly CommandKey FileState = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileState);
    public static readonly CommandKey FilePullDataRequest = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFilePullDataReq);
    public static readonly CommandKey FilePullDataResponse = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFilePullDataRsp);
    public static readonly CommandKey FileRequest = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileRequest);
    public static readonly CommandKey FileResponse = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileResponse);
    public static readonly CommandKey FileNotify = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileNotify);
    public static readonly CommandKey FileHasOfflineRequest = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileHasOfflineReq);
    public static readonly CommandKey FileHasOfflineResponse = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileHasOfflineRes);
    public static readonly CommandKey FileAddOfflineRequest = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileAddOfflineReq);
    public static readonly CommandKey FileDelOfflineRequest = CommandKey.Of(ServiceID.SidFile, FileCmdID.CidFileDelOfflineReq);
}

/// <summary>Client classes (behaviour.md notation): PC = Windows/Mac, mobile = iOS/Android.</summary>
public static class ClientClass
{
    /// <summary>True for iOS and Android (<c>client_type &amp; 0x10 != 0</c>).</summary>
    public static bool IsMobile(uint clientType) => (clientType & 0x10) != 0;

    /// <summary>Two client types are the same class when <c>(a XOR b) &gt;&gt; 4 == 0</c>.</summary>
    public static bool SameClass(uint a, uint b) => ((a ^ b) >> 4) == 0;
}
