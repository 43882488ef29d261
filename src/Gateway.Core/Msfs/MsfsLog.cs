using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.Gateway.Msfs;

/// <summary>msfs log lines; rejected uploads are logged at most once a second with the count dropped in between.</summary>
internal sealed partial class MsfsLog(ILogger<MsfsLog> logger, TimeProvider time)
{
    private readonly RejectLog rejects = new(TimeSpan.FromSeconds(1), time);

    public void Rejected(HttpContext context, int code, string reason)
    {
        if (rejects.TryLog(out var suppressed))
        {
            LogRejected(context.Connection.RemoteIpAddress?.ToString() ?? "?", code, reason, suppressed);
        }
    }

    public void Stored(string path, long size, string contentType) => LogStored(path, size, contentType);

    public void NotStored(Exception exception, string what) => LogNotStored(exception, what);

    public void LookupFailed(Exception exception, string path) => LogLookupFailed(exception, path);

    public void BlobMissing(string path, string blob) => LogBlobMissing(path, blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "msfs upload from {Remote} rejected (error_code {Code}): {Reason}; {Suppressed} more rejected uploads since the previous warning")]
    private partial void LogRejected(string remote, int code, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "msfs stored {Path} ({Size} bytes, {ContentType})")]
    private partial void LogStored(string path, long size, string contentType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "msfs upload not recorded ({What}); answered error_code 13")]
    private partial void LogNotStored(Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "msfs lookup of {Path} failed; answered 500")]
    private partial void LogLookupFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "msfs entry {Path} names blob {Blob}, which the blob store does not have")]
    private partial void LogBlobMissing(string path, string blob);
}
