using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.Gateway.Commands.Group;

/// <summary>
/// <c>CID_GROUP_SHIELD_GROUP_REQUEST</c> (behaviour.md 3.7.5): a member mutes (or unmutes) push notifications of a
/// group; stored in MySQL. Reply <c>result_code</c> 0, or 1 for a non-member or when the cluster is unavailable; no
/// reply for a group that does not exist.
/// </summary>
internal sealed class ShieldGroupHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMGroupShieldReq, bool?, IMGroupShieldRsp>(CommandKeys.GroupShieldRequest, CommandKeys.GroupShieldResponse, log)
{
    protected override string? Validate(IClientConnection connection, IMGroupShieldReq request) =>
        request.GroupId == 0 ? "shield of group 0" : null;

    protected override Task<bool?> AskAsync(IClientConnection connection, IMGroupShieldReq request) =>
        connection.Group(request.GroupId, grains).SetShieldAsync(connection.UserId, request.ShieldStatus);

    protected override string? Refusal(IMGroupShieldReq request, bool? set) =>
        set is null ? $"shield of group {request.GroupId}, which does not exist" : null;

    protected override IMGroupShieldRsp Map(IClientConnection connection, IMGroupShieldReq request, bool? set) => new()
    {
        UserId = connection.UserId,
        GroupId = request.GroupId,
        ResultCode = set == true ? 0u : 1u,
    };

    protected override IMGroupShieldRsp Failed(IClientConnection connection, IMGroupShieldReq request) => Map(connection, request, set: false);
}
