using Microsoft.Extensions.Time.Testing;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>
/// Pooled connections taken without a reset round trip: a connection the server closed while it sat in the pool (as
/// after a MariaDB restart) must not fail the next operation.
/// </summary>
public sealed class DatabaseTests
{
    private static readonly string WithoutReset =
        new MySqlConnectionStringBuilder(TestServer.RootConnectionString) { ConnectionReset = false, Pooling = true }.ConnectionString;

    [Fact]
    public async Task Without_the_check_a_connection_the_server_closed_fails_its_next_command()
    {
        await using var dataSource = new MySqlDataSource(WithoutReset + ";Application Name=tt-control");
        var id = await ConnectionIdAsync(await dataSource.OpenConnectionAsync());
        await KillAsync(id);

        await Assert.ThrowsAsync<MySqlException>(async () => await ConnectionIdAsync(await dataSource.OpenConnectionAsync()));
    }

    [Fact]
    public async Task After_a_quiet_spell_a_connection_the_server_closed_is_replaced_before_use()
    {
        await using var dataSource = new MySqlDataSource(WithoutReset + ";Application Name=tt-checked");
        var time = new FakeTimeProvider();
        var database = new Database(dataSource, time);
        var id = await ConnectionIdAsync(await database.OpenAsync());
        await KillAsync(id);
        time.Advance(Database.IdleCheck);

        var next = await ConnectionIdAsync(await database.OpenAsync());

        Assert.NotEqual(id, next);
    }

    [Fact]
    public async Task After_a_restart_every_dead_session_in_the_pool_is_dropped_before_use()
    {
        await using var dataSource = new MySqlDataSource(WithoutReset + ";Application Name=tt-restart");
        var time = new FakeTimeProvider();
        var database = new Database(dataSource, time);

        // Three sessions in the pool, all closed by the server, as a restart leaves them.
        var held = new[] { await database.OpenAsync(), await database.OpenAsync(), await database.OpenAsync() };
        var ids = new List<long>();
        foreach (var connection in held)
        {
            await using var command = new MySqlCommand("SELECT CONNECTION_ID()", connection);
            ids.Add(Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }

        foreach (var id in ids)
        {
            await KillAsync(id);
        }

        time.Advance(Database.IdleCheck);

        // The quiet spell's check drops them all: this open and the ones right after it (no check) get live sessions.
        var next = await ConnectionIdAsync(await database.OpenAsync());
        var after = await ConnectionIdAsync(await database.OpenAsync());

        Assert.DoesNotContain(next, ids);
        Assert.DoesNotContain(after, ids);
    }

    private static async Task<long> ConnectionIdAsync(MySqlConnection connection)
    {
        await using (connection)
        {
            await using var command = new MySqlCommand("SELECT CONNECTION_ID()", connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task KillAsync(long connectionId)
    {
        await using var admin = new MySqlConnection(TestServer.RootConnectionString + ";Pooling=false");
        await admin.OpenAsync();
        await using var kill = new MySqlCommand("KILL @id", admin);
        kill.Parameters.AddWithValue("@id", connectionId);
        await kill.ExecuteNonQueryAsync();

        // KILL returns before the server has closed the connection: wait until it is gone.
        await using var alive = new MySqlCommand("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @id", admin);
        alive.Parameters.AddWithValue("@id", connectionId);
        for (var attempt = 0; Convert.ToInt64(await alive.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0; attempt++)
        {
            Assert.True(attempt < 1000, $"connection {connectionId} still open after KILL");
            await Task.Yield();
        }
    }
}
