using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Files;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.File;

namespace TeamTalk.Orleans.Gateway.Commands.File;

/// <summary>
/// <c>CID_FILE_DEL_OFFLINE_REQ</c> (behaviour.md 3.8.4), no reply: only the receiver deletes (<c>to_user_id</c> must be
/// the user, defect 5). Its <c>IMTransmitFile</c> rows of the task go, and with the last of them the stored file.
/// </summary>
internal sealed class DelOfflineHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMFileDelOfflineReq>(log)
{
    public override CommandKey Command => CommandKeys.FileDelOfflineRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMFileDelOfflineReq request)
    {
        if (request.ToUserId != connection.UserId)
        {
            Log.Rejected(connection, header, $"del-offline of user {request.ToUserId}'s file: only the receiver deletes");
            return;
        }

        if (!TaskIds.IsValid(request.TaskId))
        {
            Log.Rejected(connection, header, "del-offline with a malformed task id");
            return;
        }

        var (ok, deleted) = await AskAsync(connection, "delete offline file",
            () => grains.GetGrain<IFileTransferGrain>(request.TaskId).DeleteOfflineAsync(connection.UserId, request.FromUserId));
        if (ok && deleted == 0)
        {
            Log.Rejected(connection, header, $"del-offline of task {request.TaskId}: no such file for this user");
        }
    }
}
