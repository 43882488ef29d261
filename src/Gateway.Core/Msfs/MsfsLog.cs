using TeamTalk.Orleans.Diagnostics;
using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.Gateway.Msfs;

/// <summary>
/// msfs log lines; rejected uploads, and entries whose blob is missing, are logged at most once a second with the count
/// dropped in between; failures of the database or the blob store once with their stack per fault, then counted.
/// </summary>
internal sealed partial class MsfsLog(ILogger<MsfsLog> logger, TimeProvider time) : IDisposable
{
    private readonly RejectLog rejects = new(TimeSpan.FromSeconds(1), time);
    private readonly RejectLog missing = new(TimeSpan.FromSeconds(1), time);
    private readonly FaultLog storeFaults = new("msfs uploads", logger, time);
    private readonly FaultLog lookupFaults = new("msfs lookups", logger, time);

    public void Dispose()
    {
        storeFaults.Dispose();
        lookupFaults.Dispose();
    }

    public void Rejected(HttpContext context, int code, string reason)
    {
        if (rejects.TryLog(out var suppressed))
        {
            LogRejected(context.Connection.RemoteIpAddress?.ToString() ?? "?", code, reason, suppressed);
        }
    }

    public void Stored(string path, long size, string contentType) => LogStored(path, size, contentType);

    public void NotStored(Exception exception, string what)
    {
        if (storeFaults.Record(exception))
        {
            LogNotStored(exception, what);
        }
    }

    public void LookupFailed(Exception exception, string path)
    {
        if (lookupFaults.Record(exception))
        {
            LogLookupFailed(exception, path);
        }
    }

    public void BlobMissing(string path, string blob)
    {
        if (missing.TryLog(out var suppressed))
        {
            LogBlobMissing(path, blob, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "msfs upload from {Remote} rejected (error_code {Code}): {Reason}; {Suppressed} more rejected uploads since the previous warning")]
    private partial void LogRejected(string remote, int code, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "msfs stored {Path} ({Size} bytes, {ContentType})")]
    private partial void LogStored(string path, long size, string contentType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "msfs upload not recorded ({What}); answered error_code 13 (further failures are counted)")]
    private partial void LogNotStored(Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "msfs lookup of {Path} failed; answered 500 (further failures are counted)")]
    private partial void LogLookupFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "msfs entry {Path} names blob {Blob}, which the blob store does not have ({Suppressed} more such requests since the previous error)")]
    private partial void LogBlobMissing(string path, string blob, int suppressed);
}
