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

    private long lastOpen = long.MinValue;

    public async ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        var previous = Interlocked.Exchange(ref lastOpen, now);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (previous != long.MinValue && time.GetElapsedTime(previous, now) < IdleCheck)
        {
            return connection;
        }

        if (await connection.PingAsync(cancellationToken))
        {
            return connection;
        }

        await MySqlConnection.ClearPoolAsync(connection, cancellationToken);
        await connection.DisposeAsync();
        return await dataSource.OpenConnectionAsync(cancellationToken);
    }
}
