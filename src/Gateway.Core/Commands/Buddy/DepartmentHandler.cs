using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_DEPARTMENT_REQUEST</c> (behaviour.md 3.6.7): departments with <c>IMDepart.updated &gt;
/// latest_update_time</c> (0: all) whose status is 0 or 1, read from MySQL on every request.
/// </summary>
internal sealed class DepartmentHandler(IGrainFactory grains, ConnectionLog log)
    : QueryHandler<IMDepartmentReq, DepartmentChanges, IMDepartmentRsp>(CommandKeys.DepartmentRequest, CommandKeys.DepartmentResponse, log)
{
    protected override Task<DepartmentChanges> AskAsync(IClientConnection connection, IMDepartmentReq request) =>
        grains.GetGrain<IOrgDirectoryGrain>(0).GetDepartmentsChangedSinceAsync(request.LatestUpdateTime);

    protected override IMDepartmentRsp Map(IClientConnection connection, IMDepartmentReq request, DepartmentChanges changes)
    {
        var response = new IMDepartmentRsp { UserId = connection.UserId, LatestUpdateTime = changes.LatestUpdateTime };
        foreach (var department in changes.Departments)
        {
            response.DeptList.Add(ProtocolMapper.ToDepartInfo(department));
        }

        return response;
    }
}
