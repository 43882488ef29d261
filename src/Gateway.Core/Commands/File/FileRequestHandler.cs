using System.Globalization;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Files;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.File;

namespace TeamTalk.Orleans.Gateway.Commands.File;

/// <summary>
/// <c>CID_FILE_REQUEST</c> (behaviour.md 3.8.1): a new task (id: a random lowercase UUID) in its File transfer grain,
/// online when the receiver has a PC-class connection, else offline; the reply carries the final mode and the file
/// addresses of the live gateways, and the receiver is notified. <c>from_user_id</c> is the sender. A request to
/// nobody, to oneself, to an unknown user or with an empty or over-long name is rejected and logged; when no gateway
/// serves files or the cluster cannot be asked, <c>result_code</c> 1 with an empty task id.
/// </summary>
internal sealed class FileRequestHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMFileReq>(log)
{
    /// <summary>Longest file name, in characters (the <c>fileName</c> columns).</summary>
    public const int MaxFileNameChars = 512;

    public override CommandKey Command => CommandKeys.FileRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMFileReq request)
    {
        var to = request.ToUserId;
        if (to == 0 || to == connection.UserId)
        {
            Log.Rejected(connection, header, string.Create(CultureInfo.InvariantCulture, $"file request to user {to} (none or self)"));
            return;
        }

        if (request.FileName.Length is 0 or > MaxFileNameChars)
        {
            Log.Rejected(connection, header, string.Create(CultureInfo.InvariantCulture, $"file name of {request.FileName.Length} characters; 1 to {MaxFileNameChars}"));
            return;
        }

        var (known, exists) = await AskAsync(connection, "file request", () => grains.GetGrain<IOrgDirectoryGrain>(0).UserExistsAsync(to));
        if (known && !exists)
        {
            Log.Rejected(connection, header, string.Create(CultureInfo.InvariantCulture, $"file request to unknown user {to}"));
            return;
        }

        var taskId = TaskIds.New();
        var offer = new FileOffer(connection.UserId, to, request.FileName, request.FileSize, (FileTransferMode)(uint)request.TransMode);
        var (ok, created) = known
            ? await AskAsync(connection, "file request", () => grains.GetGrain<IFileTransferGrain>(taskId).CreateAsync(offer))
            : (false, null!);
        var accepted = ok && created.Ok;
        var reply = new IMFileRsp
        {
            ResultCode = accepted ? 0u : 1u,
            FromUserId = connection.UserId,
            ToUserId = to,
            FileName = request.FileName,
            TaskId = accepted ? taskId : string.Empty,
            TransMode = accepted ? (TransferFileType)created.Mode : request.TransMode,
        };
        if (accepted)
        {
            reply.IpAddrList.AddRange(created.Addresses.Select(a => new IpAddr { Ip = a.Ip, Port = (uint)a.Port }));
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.FileResponse, header.SeqNum, reply));
    }
}
