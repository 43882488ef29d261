using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Data.Files;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.Grains.Files;

/// <summary>
/// One file task (key: its task id). Coordinates only: who may log in as what and when (behaviour.md 5.2), which
/// gateway connection holds each online side (each side is told of the other and relays to it directly), the offline
/// upload's commit and the index rows. An online task and an offline task before its upload live in memory only; a
/// stored offline file is found again from MySQL by any later activation.
/// </summary>
public sealed partial class FileTransferGrain(
    OfflineFileStore store,
    IBlobStore blobs,
    GatewayRouter router,
    IOptions<FileTransferOptions> options,
    TimeProvider time,
    ILogger<FileTransferGrain> logger) : Grain, IFileTransferGrain
{
    private FileTaskPhase phase;
    private FileOffer? offer;
    private DateTimeOffset createdAt;
    private FilePeer? sender;
    private FilePeer? receiver;
    private long uploadConnection;
    private StoredFile? stored;

    private string TaskId => this.GetPrimaryKeyString();

    private uint Now => (uint)time.GetUtcNow().ToUnixTimeSeconds();

    public async Task<FileTaskCreated> CreateAsync(FileOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var addresses = await FileAddressesAsync();
        if (phase != FileTaskPhase.None || addresses.Length == 0)
        {
            return new FileTaskCreated(false, offer.Mode, addresses);
        }

        var mode = offer.Mode;
        if (mode == FileTransferMode.Online && (await GrainFactory.GetGrain<IPresenceGrain>(0).GetPcOnlineAsync([offer.ToUserId])).Length == 0)
        {
            mode = FileTransferMode.Offline;
        }

        this.offer = offer with { Mode = mode };
        createdAt = time.GetUtcNow();
        phase = FileTaskPhase.Ready;
        await NotifyReceiverAsync(this.offer, offlineReady: false, addresses);
        return new FileTaskCreated(true, mode, addresses);
    }

    public async Task<FileLoginResult> LoginAsync(FileLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (phase == FileTaskPhase.None && login.Role == FileRole.OfflineDownload)
        {
            await LoadStoredAsync();
        }

        if (phase == FileTaskPhase.None || offer is null)
        {
            return Refuse("unknown task");
        }

        if (phase == FileTaskPhase.Ready && time.GetUtcNow() - createdAt > options.Value.TaskLifetime)
        {
            Forget();
            return Refuse("task expired");
        }

        var online = offer.Mode == FileTransferMode.Online;
        return login.Role switch
        {
            FileRole.RealtimeSender or FileRole.RealtimeReceiver when !online => Refuse("an offline task has no online sides"),
            FileRole.OfflineUpload or FileRole.OfflineDownload when online => Refuse("an online task has no upload or download"),
            FileRole.RealtimeSender => await JoinAsync(login, isSender: true),
            FileRole.RealtimeReceiver => await JoinAsync(login, isSender: false),
            FileRole.OfflineUpload => BeginUpload(login),
            FileRole.OfflineDownload => BeginDownload(login),
            _ => Refuse("unknown role"),
        };
    }

    public async Task LeftAsync(FileRole role, long connectionId)
    {
        if (role == FileRole.OfflineUpload)
        {
            if (phase == FileTaskPhase.Uploading && uploadConnection == connectionId)
            {
                // Interrupted: the gateway discarded what was written; the sender may upload again until the task expires.
                phase = FileTaskPhase.Ready;
                uploadConnection = 0;
            }

            return;
        }

        if (role is not (FileRole.RealtimeSender or FileRole.RealtimeReceiver))
        {
            return;
        }

        var left = role == FileRole.RealtimeSender ? sender : receiver;
        if (left is null || left.ConnectionId != connectionId)
        {
            return;
        }

        // One side gone ends an online task (behaviour.md 5.3.5): the other side is closed, nothing is kept.
        var other = role == FileRole.RealtimeSender ? receiver : sender;
        Forget();
        if (other is not null)
        {
            await CallAsync(other, o => o.PeerGoneAsync(other.ConnectionId));
        }
    }

    public async Task<bool> UploadedAsync(long connectionId, string blob, long length)
    {
        if (phase != FileTaskPhase.Uploading || uploadConnection != connectionId || offer is null || length != offer.FileSize)
        {
            return false;
        }

        var file = new StoredFile(TaskId, blob, offer.FromUserId, offer.ToUserId, offer.FileName, offer.FileSize);
        await store.SaveAsync(file, Now);
        stored = file;
        phase = FileTaskPhase.Stored;
        uploadConnection = 0;
        return true;
    }

    public async Task<bool> AddOfflineAsync(uint fromUserId, uint toUserId)
    {
        if (phase == FileTaskPhase.None)
        {
            await LoadStoredAsync();
        }

        if (phase != FileTaskPhase.Stored || stored is null || stored.FromId != fromUserId || stored.ToId != toUserId)
        {
            return false;
        }

        await store.AddIndexAsync(stored, Now);
        var notice = new FileOffer(stored.FromId, stored.ToId, stored.FileName, stored.Size, FileTransferMode.Offline);
        await NotifyReceiverAsync(notice, offlineReady: true, await FileAddressesAsync());
        return true;
    }

    public async Task<int> DeleteOfflineAsync(uint receiverId, uint fromUserId)
    {
        var (deleted, orphan) = await store.DeleteIndexAsync(fromUserId, receiverId, TaskId);
        if (orphan is not null)
        {
            // The last reference is gone: the bytes go with it, and this task can no longer be downloaded.
            if (BlobName.TryParse(orphan, out var name))
            {
                await blobs.DeleteAsync(name.Value);
            }

            Forget();
        }

        return deleted;
    }

    private async Task<FileLoginResult> JoinAsync(FileLogin login, bool isSender)
    {
        var expected = isSender ? offer!.FromUserId : offer!.ToUserId;
        if (login.UserId != expected)
        {
            return Refuse(isSender ? "not the task's sender" : "not the task's receiver");
        }

        if (phase != FileTaskPhase.Ready || (isSender ? sender : receiver) is not null)
        {
            return Refuse("that side is logged in already");
        }

        if (isSender)
        {
            sender = login.Connection;
        }
        else
        {
            receiver = login.Connection;
        }

        var other = isSender ? receiver : sender;
        if (other is null)
        {
            return new FileLoginResult(null, offer, null, null);
        }

        phase = FileTaskPhase.Transferring;
        var joined = login.Connection;
        await CallAsync(other, o => o.PeerReadyAsync(other.ConnectionId, joined));
        return new FileLoginResult(null, offer, other, null);
    }

    private FileLoginResult BeginUpload(FileLogin login)
    {
        if (login.UserId != offer!.FromUserId)
        {
            return Refuse("not the task's sender");
        }

        if (phase != FileTaskPhase.Ready)
        {
            return Refuse(phase == FileTaskPhase.Uploading ? "an upload is running" : "uploaded already");
        }

        phase = FileTaskPhase.Uploading;
        uploadConnection = login.Connection.ConnectionId;
        return new FileLoginResult(null, offer, null, null);
    }

    private FileLoginResult BeginDownload(FileLogin login)
    {
        if (login.UserId != offer!.ToUserId)
        {
            return Refuse("not the task's receiver");
        }

        return phase == FileTaskPhase.Stored && stored is not null
            ? new FileLoginResult(null, offer, null, stored.Blob)
            : Refuse("the file is not uploaded");
    }

    private async Task LoadStoredAsync()
    {
        if (await store.FindAsync(TaskId) is not { } file)
        {
            return;
        }

        stored = file;
        offer = new FileOffer(file.FromId, file.ToId, file.FileName, file.Size, FileTransferMode.Offline);
        phase = FileTaskPhase.Stored;
    }

    private FileLoginResult Refuse(string reason)
    {
        if (phase == FileTaskPhase.None)
        {
            DeactivateOnIdle();
        }

        return FileLoginResult.Refused(reason);
    }

    private void Forget()
    {
        phase = FileTaskPhase.None;
        offer = null;
        sender = null;
        receiver = null;
        stored = null;
        DeactivateOnIdle();
    }

    private async Task NotifyReceiverAsync(FileOffer notice, bool offlineReady, FileAddress[] addresses)
    {
        ClientPush[] push = [new FileNotifyPush(notice.FromUserId, notice.ToUserId, notice.FileName, notice.FileSize, TaskId, notice.Mode, offlineReady, addresses)];
        try
        {
            await GrainFactory.GetUserGrain(notice.ToUserId).DeliverAsync(push, except: null);
        }
        catch (Exception ex)
        {
            // The task stands: the receiver learns of an offline file from has-offline.
            LogNotifyFailed(ex, TaskId, notice.ToUserId);
        }
    }

    /// <summary>The advertised address and file port of every live gateway that serves files (never a wildcard: defect 44).</summary>
    private async Task<FileAddress[]> FileAddressesAsync()
    {
        var routes = await router.GetRoutesAsync();
        return [.. routes.Values
            .Select(r => r.Info)
            .Where(i => i.FileTcpPort > 0 && i.Address is not ("0.0.0.0" or "::" or ""))
            .OrderBy(i => i.GatewayId, StringComparer.Ordinal)
            .Select(i => new FileAddress(i.Address, i.FileTcpPort))];
    }

    private async Task CallAsync(FilePeer peer, Func<IFileRelayObserver, Task> call)
    {
        try
        {
            await call(peer.Observer).WaitAsync(router.CallTimeout);
        }
        catch (Exception ex)
        {
            LogPeerCallFailed(ex, TaskId, peer.GatewayId, peer.ConnectionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "File task {TaskId}: the notify to user {UserId} failed")]
    private partial void LogNotifyFailed(Exception exception, string taskId, uint userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File task {TaskId}: the call to connection {ConnectionId} on gateway {GatewayId} failed")]
    private partial void LogPeerCallFailed(Exception exception, string taskId, string gatewayId, long connectionId);
}
