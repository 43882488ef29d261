using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_INFO_REQUEST</c> (behaviour.md 3.7.2): each listed group whose version is newer than the one sent (0
/// forces it), most recently updated first. Only members get a group's info and member list (defect 6); unknown groups
/// are left out. <c>shield_status</c> is the requester's own mute setting.
/// </summary>
internal sealed class GroupInfoHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMGroupInfoListReq, GroupInfoHandler.Answer, IMGroupInfoListRsp>(CommandKeys.GroupInfoRequest, CommandKeys.GroupInfoResponse, log)
{
    private const int MaxGroups = 1000;

    protected override string? Validate(IClientConnection connection, IMGroupInfoListReq request) =>
        AtMost(request.GroupVersionList.Count, MaxGroups, "group infos");

    protected override async Task<Answer> AskAsync(IClientConnection connection, IMGroupInfoListReq request)
    {
        var known = new Dictionary<uint, uint>();
        foreach (var entry in request.GroupVersionList)
        {
            known[entry.GroupId] = Math.Max(entry.Version, known.GetValueOrDefault(entry.GroupId));
        }

        var self = connection.UserId;
        var infos = await Task.WhenAll(known.Keys
            .Where(id => id != 0)
            .Select(id => connection.Group(id, grains).GetInfoAsync(self)));
        return new Answer(known, infos);
    }

    protected override IMGroupInfoListRsp Map(IClientConnection connection, IMGroupInfoListReq request, Answer answer)
    {
        var response = new IMGroupInfoListRsp { UserId = connection.UserId };
        foreach (var info in answer.Infos.OfType<Grains.Models.GroupInfo>().Where(i => i.Version > answer.Known[i.GroupId]).OrderByDescending(i => i.Updated).ThenByDescending(i => i.GroupId))
        {
            var entry = new GroupInfo
            {
                GroupId = info.GroupId,
                Version = info.Version,
                GroupName = info.Name,
                GroupAvatar = info.Avatar,
                GroupCreatorId = info.CreatorId,
                GroupType = info.GroupType == (uint)GroupType.Normal ? GroupType.Normal : GroupType.Tmp,
                ShieldStatus = info.ShieldStatus,
            };
            entry.GroupMemberList.AddRange(info.Members);
            response.GroupInfoList.Add(entry);
        }

        return response;
    }

    /// <summary>The versions the client has (by group) and the infos of those groups (null: unknown or not a member).</summary>
    internal sealed record Answer(Dictionary<uint, uint> Known, Grains.Models.GroupInfo?[] Infos);
}
