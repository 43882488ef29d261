using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.File;

namespace TeamTalk.Orleans.Client;

/// <summary>
/// A client of the file-transfer port (behaviour.md 5): logs in to a task with a role and plays that role (uploads,
/// downloads, serves or pulls an online transfer) over a <see cref="TeamTalkClient"/> connection.
/// </summary>
public sealed class FileTransferClient : IAsyncDisposable
{
    /// <summary>The fixed chunk of offline transfers.</summary>
    public const int ChunkSize = 32 * 1024;

    private FileTransferClient(TeamTalkClient connection, uint userId, string taskId)
    {
        Connection = connection;
        UserId = userId;
        TaskId = taskId;
    }

    /// <summary>The underlying connection (for sending malformed input, waiting for the close).</summary>
    public TeamTalkClient Connection { get; }

    public uint UserId { get; }

    public string TaskId { get; }

    /// <summary>Connects to a file port and logs in; the login reply (null when none came in time) and the client.</summary>
    public static async Task<(IMFileLoginRsp? Reply, FileTransferClient Client)> LoginAsync(
        string host, int port, uint userId, string taskId, ClientFileRole role, TimeSpan timeout)
    {
        var connection = await TeamTalkClient.ConnectAsync(host, port);
        var client = new FileTransferClient(connection, userId, taskId);
        await connection.SendAsync(CommandKeys.FileLoginRequest, new IMFileLoginReq { UserId = userId, TaskId = taskId, FileRole = role });
        var reply = await connection.ReceiveAsync(CommandKeys.FileLoginResponse, timeout);
        return (reply?.Parse<IMFileLoginRsp>(), client);
    }

    /// <summary>
    /// Offline upload: answers each of the server's pulls with the requested slice of <paramref name="data"/> until the
    /// server says done. The final state, or null when the connection closed or stalled first.
    /// </summary>
    public async Task<IMFileState?> UploadAsync(ReadOnlyMemory<byte> data, TimeSpan timeout)
    {
        while (await Connection.ReceiveAsync(timeout) is { } frame)
        {
            if (frame.Command == CommandKeys.FileState)
            {
                return frame.Parse<IMFileState>();
            }

            if (frame.Command == CommandKeys.FilePullDataRequest)
            {
                var pull = frame.Parse<IMFilePullDataReq>();
                await Connection.SendAsync(CommandKeys.FilePullDataResponse, DataFor(pull, data), frame.Header.SeqNum);
            }
        }

        return null;
    }

    /// <summary>Offline download: pulls the fixed chunks in order. The bytes and the server's final state (null if none came).</summary>
    public async Task<(byte[] Data, IMFileState? Done)> DownloadAsync(uint size, TimeSpan timeout)
    {
        var data = new byte[size];
        uint offset = 0;
        while (offset < size)
        {
            var seq = await Connection.SendAsync(CommandKeys.FilePullDataRequest, new IMFilePullDataReq
            {
                TaskId = TaskId,
                UserId = UserId,
                TransMode = TransferFileType.FileTypeOffline,
                Offset = offset,
                DataSize = (uint)Math.Min(ChunkSize, size - offset),
            });
            var reply = await Connection.ReceiveAsync(CommandKeys.FilePullDataResponse, timeout);
            if (reply is null || reply.Header.SeqNum != seq)
            {
                return (data[..(int)offset], null);
            }

            var chunk = reply.Parse<IMFilePullDataRsp>();
            chunk.FileData.Span.CopyTo(data.AsSpan((int)chunk.Offset));
            offset += (uint)chunk.FileData.Length;
        }

        var done = await Connection.ReceiveAsync(CommandKeys.FileState, timeout);
        return (data, done?.Parse<IMFileState>());
    }

    /// <summary>
    /// Online sender: answers every pull relayed from the receiver with the slice it asks for, until a state arrives
    /// (the receiver's done, cancel or refuse). That state, or null when the connection closed or stalled first.
    /// </summary>
    public async Task<IMFileState?> ServeAsync(ReadOnlyMemory<byte> data, TimeSpan timeout)
    {
        while (await Connection.ReceiveAsync(timeout) is { } frame)
        {
            if (frame.Command == CommandKeys.FileState)
            {
                return frame.Parse<IMFileState>();
            }

            if (frame.Command == CommandKeys.FilePullDataRequest)
            {
                var pull = frame.Parse<IMFilePullDataReq>();
                await Connection.SendAsync(CommandKeys.FilePullDataResponse, DataFor(pull, data, userId: UserId), frame.Header.SeqNum);
            }
        }

        return null;
    }

    /// <summary>
    /// Online receiver: waits for the peer-ready state, pulls <paramref name="size"/> bytes in <paramref name="chunk"/>-byte
    /// requests with up to <paramref name="window"/> outstanding, then sends done. The bytes (null when the transfer broke).
    /// </summary>
    public async Task<byte[]?> PullAsync(uint size, int chunk, int window, TimeSpan timeout)
    {
        var ready = await Connection.ReceiveAsync(CommandKeys.FileState, timeout);
        if (ready is null || ready.Parse<IMFileState>().State != ClientFileState.ClientFilePeerReady)
        {
            return null;
        }

        var data = new byte[size];
        uint requested = 0;
        uint received = 0;
        var outstanding = new Queue<ushort>();
        while (received < size)
        {
            while (requested < size && outstanding.Count < window)
            {
                var length = (uint)Math.Min(chunk, size - requested);
                outstanding.Enqueue(await Connection.SendAsync(CommandKeys.FilePullDataRequest, new IMFilePullDataReq
                {
                    TaskId = TaskId,
                    UserId = UserId,
                    TransMode = TransferFileType.FileTypeOnline,
                    Offset = requested,
                    DataSize = length,
                }));
                requested += length;
            }

            var reply = await Connection.ReceiveAsync(CommandKeys.FilePullDataResponse, timeout);
            if (reply is null || reply.Header.SeqNum != outstanding.Dequeue())
            {
                return null;
            }

            var body = reply.Parse<IMFilePullDataRsp>();
            body.FileData.Span.CopyTo(data.AsSpan((int)body.Offset));
            received += (uint)body.FileData.Length;
        }

        await SendStateAsync(ClientFileState.ClientFileDone);
        return data;
    }

    /// <summary>Sends a state (done, cancel, refuse) for this task as this user.</summary>
    public Task<ushort> SendStateAsync(ClientFileState state) =>
        Connection.SendAsync(CommandKeys.FileState, new IMFileState { State = state, TaskId = TaskId, UserId = UserId });

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private IMFilePullDataRsp DataFor(IMFilePullDataReq pull, ReadOnlyMemory<byte> data, uint? userId = null)
    {
        var start = (int)Math.Min(pull.Offset, (uint)data.Length);
        var length = (int)Math.Min(pull.DataSize, (uint)(data.Length - start));
        return new IMFilePullDataRsp
        {
            ResultCode = 0,
            TaskId = TaskId,
            UserId = userId ?? UserId,
            Offset = pull.Offset,
            FileData = Google.Protobuf.ByteString.CopyFrom(data.Span.Slice(start, length)),
        };
    }
}
