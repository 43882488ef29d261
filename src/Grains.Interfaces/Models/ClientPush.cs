namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// Something the server pushes to client connections (seq 0). Grains speak in these records; the gateway maps each
/// to its protobuf message at the edge.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record ClientPush;

/// <summary>A chat message (<c>IMMsgData</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record MessagePush(
    [property: Id(0)] uint FromUserId,
    [property: Id(1)] uint ToSessionId,
    [property: Id(2)] uint MsgId,
    [property: Id(3)] uint CreateTime,
    [property: Id(4)] MessageType MsgType,
    [property: Id(5)] byte[] Data) : ClientPush;

/// <summary>The user read a session up to a message on another device (<c>IMMsgDataReadNotify</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ReadNotifyPush(
    [property: Id(0)] uint UserId,
    [property: Id(1)] uint SessionId,
    [property: Id(2)] uint MsgId,
    [property: Id(3)] SessionType SessionType) : ClientPush;

/// <summary>The user removed a session on another device (<c>IMRemoveSessionNotify</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record RemoveSessionNotifyPush(
    [property: Id(0)] uint UserId,
    [property: Id(1)] SessionType SessionType,
    [property: Id(2)] uint SessionId) : ClientPush;

/// <summary>A user's status changed (<c>IMUserStatNotify</c>, to PC-class connections).</summary>
[GenerateSerializer, Immutable]
public sealed record UserStatusPush([property: Id(0)] uint UserId, [property: Id(1)] bool Online) : ClientPush;

/// <summary>The user's PC client came online or went offline (<c>IMPCLoginStatusNotify</c>, to the user's mobile connections).</summary>
[GenerateSerializer, Immutable]
public sealed record PcLoginStatusPush([property: Id(0)] uint UserId, [property: Id(1)] bool Online) : ClientPush;

/// <summary>A peer-to-peer command relayed as is (<c>IMP2PCmdMsg</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record P2PCommandPush(
    [property: Id(0)] uint FromUserId,
    [property: Id(1)] uint ToUserId,
    [property: Id(2)] string Command) : ClientPush;

/// <summary>A group's members changed (<c>IMGroupChangeMemberNotify</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record GroupMembersChangedPush(
    [property: Id(0)] uint UserId,
    [property: Id(1)] uint ChangeType,
    [property: Id(2)] uint GroupId,
    [property: Id(3)] uint[] CurrentMembers,
    [property: Id(4)] uint[] Changed) : ClientPush;
