using System.Buffers;
using System.Globalization;
using Google.Protobuf;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.File;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>
/// The protocol of one file connection (behaviour.md 5): one login to one task, then by role the online relay (the
/// receiver's pull requests to the sender, the sender's data to the receiver, states both ways), the offline upload
/// (the server pulls fixed 32 KiB chunks into an uncommitted blob, committed only when complete) or the download
/// (the server answers pulls of the fixed chunks from the stored blob). Any validation failure closes the connection;
/// a refused login is answered with <c>result_code</c> 1 first.
/// </summary>
internal sealed class FileSession(FileConnection connection, FileServices services)
{
    /// <summary>Pull requests the sender may owe at once; a receiver asking for more is closed.</summary>
    public const int MaxOutstandingPulls = 16;

    private readonly Lock gate = new();
    private readonly Queue<ushort> pendingPulls = new();
    private List<OutboundFrame>? held = [];
    private string taskId = string.Empty;
    private FileRole role;
    private bool joined;
    private FileOffer? offer;
    private FilePeer? peer;
    private IBlobUpload? upload;
    private Stream? download;
    private FileChunks? chunks;

    public uint UserId { get; private set; }

    /// <summary>The task accepted the login.</summary>
    public bool Joined => joined;

    private IFileTransferGrain TaskGrain => services.Grains.GetGrain<IFileTransferGrain>(taskId);

    public ValueTask HandleAsync(PacketHeader header, ReadOnlySequence<byte> body)
    {
        var command = header.Command;
        if (command == CommandKeys.Heartbeat)
        {
            if (Commands.HeartbeatHandler.TryEcho(header, body, out var echo, out var refusal))
            {
                connection.TrySend(echo);
            }
            else
            {
                connection.Reject(refusal);
            }

            return ValueTask.CompletedTask;
        }

        if (command == CommandKeys.FileLoginRequest)
        {
            return TryParse<IMFileLoginReq>(body, out var login) ? LoginAsync(header, login) : ValueTask.CompletedTask;
        }

        if (role == 0 || !joined)
        {
            connection.Reject($"command {command} before the file login");
            return ValueTask.CompletedTask;
        }

        if (command == CommandKeys.FilePullDataRequest)
        {
            return TryParse<IMFilePullDataReq>(body, out var pull) && IsOwn(pull.TaskId, pull.UserId) ? PullRequestedAsync(header, pull, body) : ValueTask.CompletedTask;
        }

        if (command == CommandKeys.FilePullDataResponse)
        {
            return TryParse<IMFilePullDataRsp>(body, out var data) && IsOwn(data.TaskId, data.UserId) ? DataReceivedAsync(data, body) : ValueTask.CompletedTask;
        }

        if (command == CommandKeys.FileState)
        {
            return StateAsync(header, body);
        }

        connection.Reject($"command {command} is not served on file connections");
        return ValueTask.CompletedTask;
    }

    /// <summary>The other online side logged in: relay to it from now on; the receiver is told the sender is ready.</summary>
    public void PeerReady(FilePeer other)
    {
        lock (gate)
        {
            peer = other;
        }

        if (role == FileRole.RealtimeReceiver)
        {
            SendOrHold(PeerReadyState());
        }
    }

    /// <summary>The other online side left: the transfer is over (behaviour.md 5.3.5).</summary>
    public void PeerGone()
    {
        services.Log.Expired(connection.Id, "the other side of the transfer left");
        connection.CloseAfterFlush();
    }

    /// <summary>A PDU of the other online side: pull requests to the sender (remembered, bounded), data to the receiver, states to both.</summary>
    public bool AcceptRelayed(FileFrame frame)
    {
        var command = new CommandKey((ushort)ServiceID.SidFile, frame.CommandId);
        if (command == CommandKeys.FilePullDataRequest && role == FileRole.RealtimeSender)
        {
            lock (gate)
            {
                if (pendingPulls.Count >= MaxOutstandingPulls)
                {
                    return false;
                }

                pendingPulls.Enqueue(frame.Seq);
            }
        }
        else if (!(command == CommandKeys.FilePullDataResponse && role == FileRole.RealtimeReceiver)
                 && !(command == CommandKeys.FileState && role is FileRole.RealtimeSender or FileRole.RealtimeReceiver))
        {
            return false;
        }

        return SendOrHold(OutboundFrame.Echo(PacketHeader.ForServer((ushort)ServiceID.SidFile, frame.CommandId, frame.Seq, frame.Body.Length), frame.Body));
    }

    /// <summary>The connection closed: an unfinished upload is discarded, the download closed, the task told.</summary>
    public async Task EndAsync()
    {
        if (upload is not null)
        {
            await upload.DisposeAsync();
        }

        if (download is not null)
        {
            await download.DisposeAsync();
        }

        if (joined)
        {
            await AskAsync("leave", () => TaskGrain.LeftAsync(role, connection.Id));
        }
    }

    private async ValueTask LoginAsync(PacketHeader header, IMFileLoginReq request)
    {
        if (role != 0)
        {
            connection.Reject("a second file login");
            return;
        }

        role = (FileRole)(uint)request.FileRole;
        UserId = request.UserId;
        if (!TaskIds.IsValid(request.TaskId))
        {
            RefuseLogin(header, request.TaskId, "the task id is not a task id");
            return;
        }

        taskId = request.TaskId;
        var (ok, result) = await AskAsync("login", () => TaskGrain.LoginAsync(new FileLogin(UserId, role, services.Relay.Self(connection.Id))));
        if (!ok || result is null || !result.Ok || result.Offer is null)
        {
            RefuseLogin(header, request.TaskId, result?.Refusal ?? "the cluster could not be asked");
            return;
        }

        joined = true;
        offer = result.Offer;
        chunks = new FileChunks(offer.FileSize);
        if (!await OpenBlobAsync(result.Blob))
        {
            RefuseLogin(header, request.TaskId, "the stored file could not be opened");
            return;
        }

        services.Log.LoggedIn(connection.Id, UserId, taskId, role.ToString());
        connection.TrySend(OutboundFrame.Message(CommandKeys.FileLoginResponse, header.SeqNum, new IMFileLoginRsp { ResultCode = 0, TaskId = taskId }));
        List<OutboundFrame> early;
        lock (gate)
        {
            early = held!;
            held = null;
            peer ??= result.Peer;
        }

        foreach (var frame in early)
        {
            connection.TrySend(frame);
        }

        if (role == FileRole.RealtimeReceiver && result.Peer is not null)
        {
            connection.TrySend(PeerReadyState());
        }
        else if (role == FileRole.OfflineUpload)
        {
            await PullNextOrFinishAsync();
        }
        else if (role == FileRole.OfflineDownload && chunks.Complete)
        {
            Done(offer.FromUserId);
        }
    }

    private async Task<bool> OpenBlobAsync(string? blob)
    {
        try
        {
            if (role == FileRole.OfflineUpload)
            {
                upload = await services.Blobs.CreateAsync();
                return true;
            }

            if (role != FileRole.OfflineDownload)
            {
                return true;
            }

            if (!BlobName.TryParse(blob, out var name))
            {
                return false;
            }

            download = await services.Blobs.OpenReadAsync(name.Value);
            return download is not null && download.Length == offer!.FileSize;
        }
        catch (IOException ex)
        {
            services.Log.BlobFailed(ex, connection.Id, "open");
            return false;
        }
    }

    private void RefuseLogin(PacketHeader header, string requestedTaskId, string reason)
    {
        connection.TrySend(OutboundFrame.Message(CommandKeys.FileLoginResponse, header.SeqNum, new IMFileLoginRsp { ResultCode = 1, TaskId = requestedTaskId }));
        connection.Reject($"file login to task {requestedTaskId} as {role} refused: {reason}");
    }

    private async ValueTask PullRequestedAsync(PacketHeader header, IMFilePullDataReq pull, ReadOnlySequence<byte> body)
    {
        if (role == FileRole.RealtimeReceiver)
        {
            await RelayAsync(header.CommandId, header.SeqNum, body.ToArray());
            return;
        }

        if (role != FileRole.OfflineDownload)
        {
            connection.Reject($"pull request from a {role} connection");
            return;
        }

        // The server decides the chunk's length (the requested data_size is ignored, as in the original).
        if (chunks!.Check(pull.Offset, -1) is { } wrong)
        {
            connection.Reject(wrong);
            return;
        }

        var data = new byte[chunks.NextLength];
        try
        {
            await download!.ReadExactlyAsync(data);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            services.Log.BlobFailed(ex, connection.Id, "read");
            connection.Abort("stored file unreadable");
            return;
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.FilePullDataResponse, header.SeqNum, new IMFilePullDataRsp
        {
            ResultCode = 0,
            TaskId = taskId,
            UserId = pull.UserId,
            Offset = pull.Offset,
            FileData = UnsafeByteOperations.UnsafeWrap(data),
        }));
        chunks.Advance();
        if (chunks.Complete)
        {
            Done(offer!.FromUserId);
        }
    }

    private async ValueTask DataReceivedAsync(IMFilePullDataRsp data, ReadOnlySequence<byte> body)
    {
        if (role == FileRole.RealtimeSender)
        {
            ushort seq;
            lock (gate)
            {
                if (!pendingPulls.TryDequeue(out seq))
                {
                    connection.Reject("data that no pull request asked for");
                    return;
                }
            }

            await RelayAsync(CommandKeys.FilePullDataResponse.CommandId, seq, body.ToArray());
            return;
        }

        if (role != FileRole.OfflineUpload)
        {
            connection.Reject($"data from a {role} connection");
            return;
        }

        if (data.ResultCode != 0)
        {
            connection.Reject(string.Create(CultureInfo.InvariantCulture, $"the sender reported failure {data.ResultCode}"));
            return;
        }

        if (chunks!.Check(data.Offset, data.FileData.Length) is { } wrong)
        {
            connection.Reject(wrong);
            return;
        }

        try
        {
            await upload!.WriteAsync(data.FileData.Memory);
        }
        catch (IOException ex)
        {
            services.Log.BlobFailed(ex, connection.Id, "write");
            connection.Abort("blob store write failed");
            return;
        }

        chunks.Advance();
        await PullNextOrFinishAsync();
    }

    private async ValueTask StateAsync(PacketHeader header, ReadOnlySequence<byte> body)
    {
        // The sender of a state is closed whatever it said (behaviour.md 5.3.4).
        var bytes = body.ToArray();
        if (role is FileRole.RealtimeSender or FileRole.RealtimeReceiver
            && TryParse<IMFileState>(new ReadOnlySequence<byte>(bytes), out var state)
            && IsOwn(state.TaskId, state.UserId))
        {
            await RelayAsync(header.CommandId, header.SeqNum, bytes);
        }

        connection.CloseAfterFlush();
    }

    private async Task PullNextOrFinishAsync()
    {
        if (!chunks!.Complete)
        {
            connection.TrySend(OutboundFrame.Message(CommandKeys.FilePullDataRequest, 0, new IMFilePullDataReq
            {
                TaskId = taskId,
                UserId = UserId,
                TransMode = TransferFileType.FileTypeOffline,
                Offset = chunks.Offset,
                DataSize = (uint)chunks.NextLength,
            }));
            return;
        }

        BlobName blob;
        try
        {
            blob = await upload!.CommitAsync();
        }
        catch (IOException ex)
        {
            services.Log.BlobFailed(ex, connection.Id, "commit");
            connection.Abort("blob store commit failed");
            return;
        }

        var length = upload.Length;
        await upload.DisposeAsync();
        upload = null;
        var (ok, taken) = await AskAsync("upload", () => TaskGrain.UploadedAsync(connection.Id, blob.Value, length));
        if (!ok || !taken)
        {
            // Nobody references it: it must not stay.
            await services.Blobs.DeleteAsync(blob);
            connection.Reject("the task no longer takes this upload");
            return;
        }

        services.Log.Uploaded(connection.Id, taskId, length, blob.Value);
        Done(UserId);
    }

    private async Task RelayAsync(ushort commandId, ushort seq, byte[] body)
    {
        FilePeer? other;
        lock (gate)
        {
            other = peer;
        }

        if (other is null)
        {
            connection.Reject("the other side has not logged in");
            return;
        }

        var (ok, taken) = await AskAsync("relay", () => services.Relay.SendAsync(other, new FileFrame(commandId, seq, body)));
        if (!ok || !taken)
        {
            connection.Reject("the other side is gone or refused the PDU");
        }
    }

    /// <summary><c>CID_FILE_STATE</c> done, then the connection closes (behaviour.md 5.4.4, 5.4.7).</summary>
    private void Done(uint userId)
    {
        connection.TrySend(OutboundFrame.Message(CommandKeys.FileState, 0, new IMFileState
        {
            State = ClientFileState.ClientFileDone,
            TaskId = taskId,
            UserId = userId,
        }));
        connection.CloseAfterFlush();
    }

    private OutboundFrame PeerReadyState() => OutboundFrame.Message(CommandKeys.FileState, 0, new IMFileState
    {
        State = ClientFileState.ClientFilePeerReady,
        TaskId = taskId,
        UserId = offer?.FromUserId ?? 0,
    });

    /// <summary>Queues a frame, or holds it until the login reply is queued (the client sees its login reply first).</summary>
    private bool SendOrHold(OutboundFrame frame)
    {
        lock (gate)
        {
            if (held is not null)
            {
                if (held.Count >= MaxOutstandingPulls + 2)
                {
                    return false;
                }

                held.Add(frame);
                return true;
            }
        }

        return connection.TrySend(frame);
    }

    private bool IsOwn(string task, uint userId)
    {
        if (task == taskId && userId == UserId)
        {
            return true;
        }

        connection.Reject(string.Create(CultureInfo.InvariantCulture, $"PDU for task {task} and user {userId} on the connection of task {taskId} and user {UserId}"));
        return false;
    }

    private bool TryParse<T>(ReadOnlySequence<byte> body, out T message)
        where T : IMessage<T>, new()
    {
        message = new T();
        try
        {
            message.MergeFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            connection.Reject($"unparsable {typeof(T).Name}: {ex.Message}");
            return false;
        }

        if (!message.IsInitialized() || !RequiredFields.HasOnlyDefinedEnums(message))
        {
            connection.Reject($"{typeof(T).Name} lacks a required field or holds an undefined enum value");
            return false;
        }

        return true;
    }

    private async Task<(bool Ok, T? Value)> AskAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            var value = await call();
            services.Log.ClusterAnswered();
            return (true, value);
        }
        catch (Exception ex)
        {
            services.Log.ClusterFailed(ex, connection.Id, what);
            return (false, default);
        }
    }

    private async Task AskAsync(string what, Func<Task> call)
    {
        try
        {
            await call();
            services.Log.ClusterAnswered();
        }
        catch (Exception ex)
        {
            services.Log.ClusterFailed(ex, connection.Id, what);
        }
    }
}
