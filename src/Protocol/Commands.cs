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
}

/// <summary>Client classes (behaviour.md notation): PC = Windows/Mac, mobile = iOS/Android.</summary>
public static class ClientClass
{
    /// <summary>True for iOS and Android (<c>client_type &amp; 0x10 != 0</c>).</summary>
    public static bool IsMobile(uint clientType) => (clientType & 0x10) != 0;

    /// <summary>Two client types are the same class when <c>(a XOR b) &gt;&gt; 4 == 0</c>.</summary>
    public static bool SameClass(uint a, uint b) => ((a ^ b) >> 4) == 0;
}
