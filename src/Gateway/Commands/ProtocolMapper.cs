using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>Maps grain-call records to protobuf messages at the gateway edge. Every required field is set.</summary>
internal static class ProtocolMapper
{
    public static UserInfo ToUserInfo(UserProfile profile) => new()
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
        Status = 0,
        SignInfo = profile.SignInfo,
    };
}
