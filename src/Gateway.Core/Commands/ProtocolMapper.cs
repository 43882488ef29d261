using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>Maps grain-call records to protobuf messages at the gateway edge. Every required field is set.</summary>
internal static class ProtocolMapper
{
    /// <summary>The profile as the login reply carries it (<c>status</c> always 0, behaviour.md 3.3.1).</summary>
    public static UserInfo ToUserInfo(UserProfile profile) => ToUserInfo(profile, status: 0);

    /// <summary>A directory entry with its real <c>IMUser.status</c> (behaviour.md 3.6.2, 3.6.4).</summary>
    public static UserInfo ToUserInfo(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ToUserInfo(user.Profile, user.Status);
    }

    /// <summary>An <c>IMDepart</c> row as <c>DepartInfo</c> (behaviour.md 3.6.7).</summary>
    public static DepartInfo ToDepartInfo(Department department)
    {
        ArgumentNullException.ThrowIfNull(department);
        return new DepartInfo
        {
            DeptId = department.DepartmentId,
            Priority = department.Priority,
            DeptName = department.Name,
            ParentDeptId = department.ParentId,
            DeptStatus = (DepartmentStatusType)department.Status,
        };
    }

    private static UserInfo ToUserInfo(UserProfile profile, uint status) => new()
    {
        UserId = profile.UserId,
        UserGender = profile.Gender,
        UserNickName = profile.NickName,
        AvatarUrl = profile.AvatarUrl,
        DepartmentId = profile.DepartmentId,
        Email = profile.Email,
        UserRealName = profile.RealName,
        UserTel = profile.Phone,
        UserDomain = profile.Domain,
        Status = status,
        SignInfo = profile.SignInfo,
    };
}
