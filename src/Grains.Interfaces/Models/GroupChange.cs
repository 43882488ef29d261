namespace TeamTalk.Orleans.Grains.Models;

/// <summary>How <c>CID_GROUP_CHANGE_MEMBER_REQUEST</c> changes the members (<c>GroupModifyType</c> values).</summary>
public enum GroupChangeType
{
    /// <summary>GROUP_MODIFY_TYPE_ADD.</summary>
    Add = 1,

    /// <summary>GROUP_MODIFY_TYPE_DEL.</summary>
    Remove = 2,
}

/// <summary>
/// A member change asked by a logged-in user from one of its connections, or by the back-office
/// (<see cref="ByAdministrator"/>: requester 0, always allowed, every connection of the affected users notified).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GroupChange(
    [property: Id(0)] uint RequesterId,
    [property: Id(1)] ConnectionRef From,
    [property: Id(2)] GroupChangeType Type,
    [property: Id(3)] uint[] UserIds,
    [property: Id(4)] bool ByAdministrator = false)
{
    /// <summary>A back-office change: requester 0, from no connection.</summary>
    public static GroupChange Administrative(GroupChangeType type, uint[] userIds) =>
        new(0, new ConnectionRef(string.Empty, 0), type, userIds, ByAdministrator: true);
}

/// <summary>What a member change did.</summary>
public enum GroupChangeStatus
{
    /// <summary>Done (possibly with nothing to change).</summary>
    Done,

    /// <summary>The group does not exist: no reply (behaviour.md 3.7.4).</summary>
    NoSuchGroup,

    /// <summary>The requester may not make this change, or it would break a limit: <c>result_code</c> 1.</summary>
    Refused,
}

/// <summary>The outcome of a member change: the current members and the ids actually added or removed.</summary>
[GenerateSerializer, Immutable]
public sealed record GroupChangeResult(
    [property: Id(0)] GroupChangeStatus Status,
    [property: Id(1)] uint[] CurrentMembers,
    [property: Id(2)] uint[] Changed);

/// <summary>A request to create a group: temporary (<c>IMGroup.type</c> 2, clients) or normal (1, the back-office only).</summary>
[GenerateSerializer, Immutable]
public sealed record GroupCreate(
    [property: Id(0)] uint CreatorId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Avatar,
    [property: Id(3)] uint[] MemberIds,
    [property: Id(4)] uint GroupType = GroupCreate.Temporary)
{
    /// <summary><c>IMGroup.type</c> of a normal group.</summary>
    public const uint Normal = 1;

    /// <summary><c>IMGroup.type</c> of a temporary group.</summary>
    public const uint Temporary = 2;
}

/// <summary>The created group's id (0 on failure) and its members in ascending order.</summary>
[GenerateSerializer, Immutable]
public sealed record GroupCreateResult([property: Id(0)] uint GroupId, [property: Id(1)] uint[] Members);
