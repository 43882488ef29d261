using TeamTalk.Orleans.Diagnostics;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>
/// Logging of file connections. Closing for bad input is rate-limited per connection by the caller; failures of the
/// cluster and of the blob store are logged once with their stack per fault, then counted (<see cref="FaultLog"/>).
/// </summary>
internal sealed partial class FileLog(ILogger<FileLog> logger, TimeProvider? time = null) : IDisposable
{
    private readonly FaultLog clusterFaults = new("File connections' cluster calls", logger, time ?? TimeProvider.System);
    private readonly FaultLog blobFaults = new("File connections' blob store operations", logger, time ?? TimeProvider.System);

    public void Dispose()
    {
        clusterFaults.Dispose();
        blobFaults.Dispose();
    }

    /// <summary>A cluster call of a file connection failed.</summary>
    public void ClusterFailed(Exception exception, long connectionId, string what)
    {
        if (clusterFaults.Record(exception))
        {
            LogClusterFailed(exception, connectionId, what);
        }
    }

    /// <summary>A cluster call of a file connection succeeded: ends a fault of them.</summary>
    public void ClusterAnswered() => clusterFaults.Recovered();

    /// <summary>The blob store failed for a file connection.</summary>
    public void BlobFailed(Exception exception, long connectionId, string what)
    {
        if (blobFaults.Record(exception))
        {
            LogBlobFailed(exception, connectionId, what);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "File connection {ConnectionId} ({Remote}, user {UserId}): closing: {Reason} ({Suppressed} more rejections not logged since the last warning)")]
    public partial void Closing(long connectionId, string remote, uint userId, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "File connection {ConnectionId}: user {UserId} logged in to task {TaskId} as {Role}")]
    public partial void LoggedIn(long connectionId, uint userId, string taskId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "File connection {ConnectionId}: task {TaskId} stored {Bytes} bytes as blob {Blob}")]
    public partial void Uploaded(long connectionId, string taskId, long bytes, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "File connection {ConnectionId} closed by the server: {Reason}")]
    public partial void Expired(long connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File connection {ConnectionId}: the cluster could not be asked ({What}); further failures are counted")]
    private partial void LogClusterFailed(Exception exception, long connectionId, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File connection {ConnectionId}: the blob store failed ({What}); further failures are counted")]
    private partial void LogBlobFailed(Exception exception, long connectionId, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "File connection {ConnectionId} failed")]
    public partial void Failed(Exception exception, long connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File connection {ConnectionId}: outbound queue full; aborting")]
    public partial void QueueFull(long connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "File connection {ConnectionId}: a {Command} lacking a required field was not sent")]
    public partial void IncompleteMessage(string command, long connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "File connection {ConnectionId}: write failed: {Reason}")]
    public partial void WriteFailed(long connectionId, string reason);
}
