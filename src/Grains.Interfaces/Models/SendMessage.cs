namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// A validated message from a logged-in connection (from is the connection's user, set by the gateway) to a session:
/// the peer user (1:1) or the group.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SendMessage(
    [property: Id(0)] uint FromUserId,
    [property: Id(1)] uint ToSessionId,
    [property: Id(2)] ConnectionRef Connection,
    [property: Id(3)] MessageType MsgType,
    [property: Id(4)] byte[] Data,
    [property: Id(5)] AudioClip? Audio = null);

/// <summary>What became of a <see cref="SendMessage"/>.</summary>
public enum SendStatus
{
    /// <summary>Committed to MySQL with <see cref="SendResult.MsgId"/>: acknowledge it.</summary>
    Committed,

    /// <summary>The receiver is not a user: nothing stored.</summary>
    UnknownPeer,

    /// <summary>The group does not exist or the sender is not one of its members: nothing stored.</summary>
    NotMember,
}

/// <summary>The outcome of a send; <see cref="MsgId"/> and <see cref="CreateTime"/> are set when committed.</summary>
[GenerateSerializer, Immutable]
public sealed record SendResult([property: Id(0)] SendStatus Status, [property: Id(1)] uint MsgId, [property: Id(2)] uint CreateTime);
