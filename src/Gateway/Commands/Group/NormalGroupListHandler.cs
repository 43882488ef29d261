using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_NORMAL_LIST_REQUEST</c> (behaviour.md 3.7.1): the normal groups the user is a member of, with their
/// versions, most recently updated first. When the cluster cannot answer, the list is empty, as in the original.
/// </summary>
internal sealed class NormalGroupListHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMNormalGroupListReq>(log)
{
    public override CommandKey Command => CommandKeys.GroupNormalListRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMNormalGroupListReq request)
    {
        var (ok, groups) = await AskAsync(connection, "normal group list", () => grains.GetGroupDirectory().GetNormalGroupsAsync(connection.UserId));
        var response = new IMNormalGroupListRsp { UserId = connection.UserId };
        if (ok)
        {
            foreach (var group in groups)
            {
                response.GroupVersionList.Add(new GroupVersionInfo { GroupId = group.GroupId, Version = group.Version });
            }
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.GroupNormalListResponse, header.SeqNum, response));
    }
}
