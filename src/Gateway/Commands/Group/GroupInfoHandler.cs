using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_INFO_REQUEST</c> (behaviour.md 3.7.2): each listed group whose version is newer than the one sent (0
/// forces it), most recently updated first. Only members get a group's info and member list (defect 6); unknown groups
/// are left out. <c>shield_status</c> is the requester's own mute setting.
/// </summary>
internal sealed class GroupInfoHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMGroupInfoListReq>(log)
{
    private const int MaxGroups = 1000;

    public override CommandKey Command => CommandKeys.GroupInfoRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMGroupInfoListReq request)
    {
        if (request.GroupVersionList.Count > MaxGroups)
        {
            Log.Rejected(connection, header, $"info of {request.GroupVersionList.Count} groups asked; at most {MaxGroups}");
            return;
        }

        var known = new Dictionary<uint, uint>();
        foreach (var entry in request.GroupVersionList)
        {
            known[entry.GroupId] = Math.Max(entry.Version, known.GetValueOrDefault(entry.GroupId));
        }

        var self = connection.UserId;
        var (ok, infos) = await AskAsync(connection, "group info", () => Task.WhenAll(known.Keys
            .Where(id => id != 0)
            .Select(id => connection.Group(id, grains).GetInfoAsync(self))));
        if (!ok)
        {
            return;
        }

        var response = new IMGroupInfoListRsp { UserId = self };
        foreach (var info in infos.OfType<Grains.Models.GroupInfo>().Where(i => i.Version > known[i.GroupId]).OrderByDescending(i => i.Updated).ThenByDescending(i => i.GroupId))
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

        connection.TrySend(OutboundFrame.Message(CommandKeys.GroupInfoResponse, header.SeqNum, response));
    }
}
