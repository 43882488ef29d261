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
        await Task.Delay(Database.IdleCheck + TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<MySqlException>(async () => await ConnectionIdAsync(await dataSource.OpenConnectionAsync()));
    }

    [Fact]
    public async Task After_a_quiet_spell_a_connection_the_server_closed_is_replaced_before_use()
    {
        await using var dataSource = new MySqlDataSource(WithoutReset + ";Application Name=tt-checked");
        var database = new Database(dataSource, TimeProvider.System);
        var id = await ConnectionIdAsync(await database.OpenAsync());
        await KillAsync(id);
        await Task.Delay(Database.IdleCheck + TimeSpan.FromMilliseconds(200));

        var next = await ConnectionIdAsync(await database.OpenAsync());

        Assert.NotEqual(id, next);
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
    }
}
