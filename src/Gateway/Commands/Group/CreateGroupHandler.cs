using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_CREATE_REQUEST</c> (behaviour.md 3.7.3): clients create temporary groups (a normal group is the
/// back-office's, so such a request is dropped with a logged reason). The members are the de-duplicated list as sent
/// (clients include themselves). Reply: <c>result_code</c> 0 with the group id, or 1 (empty name, no or unknown
/// members, a limit, the cluster unavailable), with the members in ascending order either way. Members are not notified;
/// they learn of the group with its first message.
/// </summary>
internal sealed class CreateGroupHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMGroupCreateReq>(log)
{
    public override CommandKey Command => CommandKeys.GroupCreateRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMGroupCreateReq request)
    {
        if (request.GroupType != GroupType.Tmp)
        {
            Log.Rejected(connection, header, "clients may create temporary groups only");
            return;
        }

        var create = new GroupCreate(connection.UserId, request.GroupName, request.GroupAvatar, [.. request.MemberIdList]);
        var (ok, created) = await AskAsync(connection, "group create", () => grains.GetGroupDirectory().CreateAsync(create));
        var response = new IMGroupCreateRsp
        {
            UserId = connection.UserId,
            ResultCode = ok && created.GroupId != 0 ? 0u : 1u,
            GroupName = request.GroupName,
        };
        if (response.ResultCode == 0)
        {
            response.GroupId = created.GroupId;
        }

        response.UserIdList.AddRange(ok ? created.Members : request.MemberIdList.Where(id => id != 0).Distinct().Order());
        connection.TrySend(OutboundFrame.Message(CommandKeys.GroupCreateResponse, header.SeqNum, response));
    }
}
