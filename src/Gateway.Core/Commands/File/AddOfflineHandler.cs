using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Files;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.File;

namespace TeamTalk.Orleans.Gateway.Commands.File;

/// <summary>
/// <c>CID_FILE_ADD_OFFLINE_REQ</c> (behaviour.md 3.8.3), no reply: the sender announces its stored upload; the task
/// adds the <c>IMTransmitFile</c> row (with the name and size of the upload) and notifies the receiver
/// (<c>offline_ready</c> 1). Only for a task this user uploaded to that receiver; anything else is logged and dropped.
/// </summary>
internal sealed class AddOfflineHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMFileAddOfflineReq>(log)
{
    public override CommandKey Command => CommandKeys.FileAddOfflineRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMFileAddOfflineReq request)
    {
        if (!TaskIds.IsValid(request.TaskId))
        {
            Log.Rejected(connection, header, "add-offline with a malformed task id");
            return;
        }

        var (ok, added) = await AskAsync(connection, "add offline file",
            () => grains.GetGrain<IFileTransferGrain>(request.TaskId).AddOfflineAsync(connection.UserId, request.ToUserId));
        if (ok && !added)
        {
            Log.Rejected(connection, header, $"add-offline of task {request.TaskId}: not a stored upload of this user to user {request.ToUserId}");
        }
    }
}
