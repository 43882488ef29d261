using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_DEPARTMENT_REQUEST</c> (behaviour.md 3.6.7): departments with <c>IMDepart.updated &gt;
/// latest_update_time</c> (0: all) whose status is 0 or 1, read from MySQL on every request.
/// </summary>
internal sealed class DepartmentHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMDepartmentReq>(log)
{
    public override CommandKey Command => CommandKeys.DepartmentRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMDepartmentReq request)
    {
        var (ok, changes) = await AskAsync(connection, "departments", () => grains.GetGrain<IOrgDirectoryGrain>(0).GetDepartmentsChangedSinceAsync(request.LatestUpdateTime));
        if (!ok)
        {
            return;
        }

        var response = new IMDepartmentRsp { UserId = connection.UserId, LatestUpdateTime = changes.LatestUpdateTime };
        foreach (var department in changes.Departments)
        {
            response.DeptList.Add(ProtocolMapper.ToDepartInfo(department));
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.DepartmentResponse, header.SeqNum, response));
    }
}
