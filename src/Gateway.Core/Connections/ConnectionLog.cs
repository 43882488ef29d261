using System.Net;
using TeamTalk.Orleans.Diagnostics;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Logging of connection events. Warnings about rejected input are rate-limited per connection (one per second, with
/// the count of what was dropped in between) and for the whole process (bursts of 20, then 20 a second), as are refused logins and the
/// server's closes (20 a second), so a flood, even of new connections, cannot flood the log. Failures of the cluster or the database
/// (sends, logins, requests, disconnect notices) are logged once with their stack per fault, then counted per interval
/// (<see cref="FaultLog"/>).
/// </summary>
/// <param name="logger">Where events are logged.</param>
/// <param name="metrics">The gateway's instruments (null: instruments of its own, for unit tests).</param>
/// <param name="time">The clock of the fault counts (null: the system's).</param>
internal sealed partial class ConnectionLog(ILogger<ConnectionLog> logger, GatewayMetrics? metrics = null, TimeProvider? time = null) : IDisposable
{
    /// <summary>The gateway's instruments; every rejection logged here is counted there, logged or not.</summary>
    public GatewayMetrics Metrics { get; } = metrics ?? new GatewayMetrics(null, null, TimeProvider.System);

    private readonly FaultLog sendFaults = new("Message sends", logger, time ?? TimeProvider.System);
    private readonly FaultLog loginFaults = new("Logins", logger, time ?? TimeProvider.System);
    private readonly FaultLog requestFaults = new("Requests", logger, time ?? TimeProvider.System);
    private readonly FaultLog disconnectFaults = new("Disconnect notices", logger, time ?? TimeProvider.System);
    // Process-wide bounds over the per-connection ones: a flood of new connections, each allowed its first line, writes
    // about 20 warnings and 20 informational lines a second (bursts of 20 pass); the rest is counted into the next line.
    private readonly RejectLog floodWarnings = new(TimeSpan.FromMilliseconds(50), time ?? TimeProvider.System, burst: 20);
    private readonly RejectLog floodInfo = new(TimeSpan.FromMilliseconds(50), time ?? TimeProvider.System, burst: 20);
    private readonly FaultLog clipFaults = new("Deletions of voice clips of refused messages", logger, time ?? TimeProvider.System);

    /// <summary>The voice clip of a message its conversation refused could not be deleted (it stays on disk, unreferenced).</summary>
    public void ClipDeleteFailed(Exception exception, long connectionId, string clip)
    {
        if (clipFaults.Record(exception))
        {
            LogClipDeleteFailed(exception, connectionId, clip);
        }
    }

    /// <summary>A send failed (no acknowledgement): logged in full when it starts a fault, counted otherwise.</summary>
    public void SendFailed(Exception exception, long connectionId, uint userId, uint toUserId)
    {
        if (sendFaults.Record(exception))
        {
            LogSendFailed(exception, connectionId, userId, toUserId);
        }
    }

    /// <summary>A send got its answer: ends a fault of sends.</summary>
    public void SendSucceeded() => sendFaults.Recovered();

    /// <summary>A login could not reach the cluster.</summary>
    public void LoginFailed(Exception exception, long connectionId, string userName)
    {
        if (loginFaults.Record(exception))
        {
            LogLoginFailed(exception, connectionId, userName);
        }
    }

    /// <summary>A request failed.</summary>
    public void RequestFailed(Exception exception, long connectionId, uint userId, string command)
    {
        if (requestFaults.Record(exception))
        {
            LogRequestFailed(exception, connectionId, userId, command);
        }
    }

    /// <summary>The user grain could not be told about a close.</summary>
    public void DisconnectNotifyFailed(Exception exception, long connectionId, uint userId)
    {
        if (disconnectFaults.Record(exception))
        {
            LogDisconnectNotifyFailed(exception, connectionId, userId);
        }
    }

    public void Dispose()
    {
        sendFaults.Dispose();
        loginFaults.Dispose();
        requestFaults.Dispose();
        disconnectFaults.Dispose();
        clipFaults.Dispose();
    }

    /// <summary>Logs rejected input (rate-limited).</summary>
    public void Rejected(IClientConnection connection, in PacketHeader header, string reason, RejectMetric kind = RejectMetric.InvalidRequest)
    {
        Metrics.Rejected(kind);
        if (connection.Rejects.TryLog(out var suppressed) && floodWarnings.TryLog(out var elsewhere))
        {
            LogRejected(connection.Id, connection.Remote?.ToString() ?? "?", connection.UserId, header.ServiceId, header.CommandId, header.Length, reason, suppressed + elsewhere);
        }
    }

    /// <summary>Logs why a connection is being closed for bad input (rate-limited like other rejections).</summary>
    public void Closing(IClientConnection connection, string reason, RejectMetric kind = RejectMetric.InvalidRequest)
    {
        Metrics.Rejected(kind);
        if (connection.Rejects.TryLog(out var suppressed) && floodWarnings.TryLog(out var elsewhere))
        {
            LogClosing(connection.Id, connection.Remote?.ToString() ?? "?", connection.UserId, reason, suppressed + elsewhere);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} ({Remote}, user {UserId}): rejected 0x{ServiceId:x4}/0x{CommandId:x4} length {Length}: {Reason} ({Suppressed} more rejections not logged since the last warning)")]
    private partial void LogRejected(long connectionId, string remote, uint userId, ushort serviceId, ushort commandId, uint length, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} ({Remote}, user {UserId}): closing: {Reason} ({Suppressed} more rejections not logged since the last warning)")]
    private partial void LogClosing(long connectionId, string remote, uint userId, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} ({Remote}) logged in as user {UserId} ({Device})")]
    public partial void LoggedIn(long connectionId, string remote, uint userId, string device);

    /// <summary>A login was refused (informational; at most 20 such lines a second, see <see cref="floodInfo"/>).</summary>
    public void LoginRefused(long connectionId, string remote, string userName, string outcome)
    {
        if (floodInfo.TryLog(out var suppressed))
        {
            LogLoginRefused(connectionId, remote, userName, outcome, suppressed);
        }
    }

    /// <summary>The server closed a connection (its deadline or idle timeout; at most 20 such lines a second).</summary>
    public void Expired(long connectionId, uint userId, string reason)
    {
        if (floodInfo.TryLog(out var suppressed))
        {
            LogExpired(connectionId, userId, reason, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} ({Remote}): login as {UserName} refused: {Outcome} ({Suppressed} refusals and closes not logged since the last line)")]
    private partial void LogLoginRefused(long connectionId, string remote, string userName, string outcome, int suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {ConnectionId}: login as {UserName} failed: the cluster could not be reached")]
    private partial void LogLoginFailed(Exception exception, long connectionId, string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} (user {UserId}) kicked: {Reason}")]
    public partial void Kicked(long connectionId, uint userId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} (user {UserId}) closed by the server: {Reason} ({Suppressed} refusals and closes not logged since the last line)")]
    private partial void LogExpired(long connectionId, uint userId, string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} (user {UserId}): could not tell the user grain about the close")]
    private partial void LogDisconnectNotifyFailed(Exception exception, long connectionId, uint userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} (user {UserId}): dropped {Dropped} messages over the limit of {Limit} per second")]
    public partial void RateLimited(long connectionId, uint userId, int dropped, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} (user {UserId}): message to {ToUserId} not committed; no acknowledgement")]
    private partial void LogSendFailed(Exception exception, long connectionId, uint userId, uint toUserId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} (user {UserId}): {Command} failed")]
    private partial void LogRequestFailed(Exception exception, long connectionId, uint userId, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Remote}): outbound queue full, client not reading; disconnecting")]
    public partial void QueueFull(long connectionId, IPEndPoint? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId}: could not delete the voice clip {Clip} of a refused message; it stays unreferenced (further failures are counted)")]
    private partial void LogClipDeleteFailed(Exception exception, long connectionId, string clip);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {ConnectionId}: handing its messages to their conversations failed; closing it (its client reconnects and resends what was not acknowledged)")]
    public partial void PipelineFailed(Exception exception, long connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId}: write failed: {Reason}")]
    public partial void WriteFailed(long connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not sending {Message} ({Command}) to connection {ConnectionId}: a required field is missing")]
    public partial void IncompleteMessage(string message, string command, long connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {ConnectionId}: unexpected failure; closing")]
    public partial void Failed(Exception exception, long connectionId);
}
