namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>Logging of file connections. Closing for bad input is rate-limited per connection by the caller.</summary>
internal sealed partial class FileLog(ILogger<FileLog> logger)
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "File connection {ConnectionId} ({Remote}, user {UserId}): closing: {Reason} ({Suppressed} more rejections not logged since the last warning)")]
    public partial void Closing(long connectionId, string remote, uint userId, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "File connection {ConnectionId}: user {UserId} logged in to task {TaskId} as {Role}")]
    public partial void LoggedIn(long connectionId, uint userId, string taskId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "File connection {ConnectionId}: task {TaskId} stored {Bytes} bytes as blob {Blob}")]
    public partial void Uploaded(long connectionId, string taskId, long bytes, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "File connection {ConnectionId} closed by the server: {Reason}")]
    public partial void Expired(long connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File connection {ConnectionId}: the cluster could not be asked ({What})")]
    public partial void ClusterFailed(Exception exception, long connectionId, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File connection {ConnectionId}: the blob store failed ({What})")]
    public partial void BlobFailed(Exception exception, long connectionId, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "File connection {ConnectionId} failed")]
    public partial void Failed(Exception exception, long connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File connection {ConnectionId}: outbound queue full; aborting")]
    public partial void QueueFull(long connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "File connection {ConnectionId}: a {Command} lacking a required field was not sent")]
    public partial void IncompleteMessage(string command, long connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "File connection {ConnectionId}: write failed: {Reason}")]
    public partial void WriteFailed(long connectionId, string reason);
}
