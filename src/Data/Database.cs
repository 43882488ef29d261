using MySqlConnector;

namespace TeamTalk.Orleans.Data;

/// <summary>
/// Opens the silo's pooled MySQL connections. They come from the pool without a reset round trip
/// (<c>ConnectionReset=false</c>: our statements leave no session state behind), so nothing checks that the server
/// still holds them. After a quiet spell (no open for <see cref="IdleCheck"/>) a connection is pinged first: one the
/// server closed (a MariaDB restart) clears the pool and a fresh one is opened, so a restart costs no failed operation.
/// Under load connections are hot and nothing extra is sent.
/// </summary>
public sealed class Database(MySqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Connections opened after this long without any open are pinged before use.</summary>
    public static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    /// <summary>Connections tried after a quiet spell before one is returned unchecked (MySqlConnector's default pool size, and one more).</summary>
    private const int MaxPings = 101;

    private long lastOpen = long.MinValue;

    /// <summary>
    /// After a command failed and left the session in an unknown state (a transaction or a named lock still held):
    /// resets it, which ends both on the server, so that the pooled connection goes on clean. Returns what the reset
    /// failed with, if it did: then the session is broken, its state went with it on the server, and it is not pooled
    /// again.
    /// </summary>
    public static async Task<Exception?> ResetAfterFailureAsync(MySqlConnection connection)
    {
        try
        {
            await connection.ResetConnectionAsync();
            return null;
        }
        catch (Exception ex) when (ex is MySqlException or IOException or InvalidOperationException)
        {
            return ex;
        }
    }

    public async ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        var previous = Interlocked.Exchange(ref lastOpen, now);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (previous != long.MinValue && time.GetElapsedTime(previous, now) < IdleCheck)
        {
            return connection;
        }

        // After a restart every idle session in the pool is dead: each found so is dropped (a session whose ping failed
        // is not pooled again) and the next one checked, until one answers (a new one, if need be). Bounded, in case a
        // server accepts connections but never answers a ping: then the last one is returned and its operation fails.
        for (var attempt = 0; attempt < MaxPings && !await connection.PingAsync(cancellationToken); attempt++)
        {
            await connection.DisposeAsync();
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }

        return connection;
    }
}
