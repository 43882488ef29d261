using TeamTalk.Orleans.Gateway.Cluster;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.File;

namespace TeamTalk.Orleans.Gateway.Commands.File;

/// <summary>
/// <c>CID_FILE_HAS_OFFLINE_REQ</c> (behaviour.md 3.8.2): the user's offline files (<c>IMTransmitFile</c>, status 0,
/// oldest first) and the file addresses of the live gateways (advertised address and file port, never a wildcard).
/// The cluster unavailable: the reply carries only <c>user_id</c>, as the original's.
/// </summary>
internal sealed class HasOfflineHandler(IGrainFactory grains, LiveGateways live, ConnectionLog log)
    : QueryHandler<IMFileHasOfflineReq, OfflineFile[], IMFileHasOfflineRsp>(CommandKeys.FileHasOfflineRequest, CommandKeys.FileHasOfflineResponse, log)
{
    /// <summary>How old this gateway's copy of the live gateways may be for its addresses to be handed out.</summary>
    private static readonly TimeSpan MaxViewAge = TimeSpan.FromSeconds(30);

    protected override Task<OfflineFile[]> AskAsync(IClientConnection connection, IMFileHasOfflineReq request) =>
        grains.GetGrain<IOfflineFilesGrain>(0).ListAsync(connection.UserId);

    protected override IMFileHasOfflineRsp Map(IClientConnection connection, IMFileHasOfflineReq request, OfflineFile[] answer)
    {
        var reply = new IMFileHasOfflineRsp { UserId = connection.UserId };
        reply.OfflineFileList.AddRange(answer.Select(f => new OfflineFileInfo { FromUserId = f.FromUserId, TaskId = f.TaskId, FileName = f.FileName, FileSize = f.FileSize }));
        reply.IpAddrList.AddRange(live.Get(MaxViewAge)
            .Where(g => g.FileTcpPort > 0 && g.Address is not ("0.0.0.0" or "::" or ""))
            .Select(g => new IpAddr { Ip = g.Address, Port = (uint)g.FileTcpPort }));
        return reply;
    }

    protected override IMFileHasOfflineRsp Failed(IClientConnection connection, IMFileHasOfflineReq request) => new() { UserId = connection.UserId };
}
