using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One file transfer (behaviour.md 3.8, 5), keyed by its task id (a lowercase UUID handed out at the request). It
/// checks roles, users and states, knows which gateway connection holds which side, records a stored offline file and
/// its index rows. Chunks do not pass through it. A task nobody logs in to expires after the task lifetime.
/// </summary>
public interface IFileTransferGrain : IGrainWithStringKey
{
    /// <summary>Creates the task (mode decided here) and notifies the receiver.</summary>
    Task<FileTaskCreated> CreateAsync(FileOffer offer);

    /// <summary>A file connection logs in (behaviour.md 5.2).</summary>
    Task<FileLoginResult> LoginAsync(FileLogin login);

    /// <summary>A file connection that logged in to this task closed.</summary>
    Task LeftAsync(FileRole role, long connectionId);

    /// <summary>The upload on <paramref name="connectionId"/> is committed as <paramref name="blob"/>; false when the task no longer takes it (the caller deletes the blob).</summary>
    Task<bool> UploadedAsync(long connectionId, string blob, long length);

    /// <summary><c>CID_FILE_ADD_OFFLINE_REQ</c>: the sender announces the stored file to its receiver (index row and notify); false when it is not a stored file of this sender to that receiver.</summary>
    Task<bool> AddOfflineAsync(uint fromUserId, uint toUserId);

    /// <summary><c>CID_FILE_DEL_OFFLINE_REQ</c> of the receiver: its index rows go, and with the last reference the stored file. Number of rows deleted.</summary>
    Task<int> DeleteOfflineAsync(uint receiverId, uint fromUserId);
}
