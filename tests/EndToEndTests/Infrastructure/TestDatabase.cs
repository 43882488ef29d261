using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using TeamTalk.Orleans.Data.Schema;
using TeamTalk.Orleans.Data.Users;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>A database of its own for one test cluster, with sql/ applied and the demo users seeded; dropped at the end.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string Password = "teamtalk";

    private TestDatabase(string serverConnectionString, string name)
    {
        ServerConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new MySqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ServerConnectionString { get; }

    /// <summary>Connection string of this database.</summary>
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string? serverConnectionString = null)
    {
        var database = new TestDatabase(serverConnectionString ?? TestSettings.MySqlAdmin, $"tt_e2e_{Guid.NewGuid():N}"[..20]);
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).ApplyAsync(database.ConnectionString, CancellationToken.None);
        await database.SeedUsersAsync(["alice", "bob", "carol", "dave", "erin", "frank"]);
        return database;
    }

    /// <summary>Adds users (password "teamtalk", status 0, sex 2) in department 1; returns their ids in order.</summary>
    public async Task<uint[]> SeedUsersAsync(IReadOnlyList<string> names)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        var ids = new uint[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var salt = TeamTalkPassword.NewSalt();
            await using var insert = new MySqlCommand(
                """
                INSERT INTO IMUser (sex, name, domain, nick, password, salt, phone, email, avatar, departId, status, created, updated, push_shield_status, sign_info)
                VALUES (2, @name, @name, @nick, @password, @salt, '', @email, '', 1, 0, UNIX_TIMESTAMP(), UNIX_TIMESTAMP(), 0, '')
                """, connection);
            insert.Parameters.AddWithValue("@name", names[i]);
            insert.Parameters.AddWithValue("@nick", names[i].ToUpperInvariant());
            insert.Parameters.AddWithValue("@password", TeamTalkPassword.HashForStorage(TeamTalkPassword.ClientHash(Password), salt));
            insert.Parameters.AddWithValue("@salt", salt);
            insert.Parameters.AddWithValue("@email", names[i] + "@example.org");
            await insert.ExecuteNonQueryAsync();
            ids[i] = (uint)insert.LastInsertedId;
        }

        return ids;
    }

    /// <summary>The id of a seeded user.</summary>
    public async Task<uint> UserIdAsync(string name)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var query = new MySqlCommand("SELECT id FROM IMUser WHERE name = @name", connection);
        query.Parameters.AddWithValue("@name", name);
        return Convert.ToUInt32(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = new MySqlConnection(ServerConnectionString);
            await connection.OpenAsync();
            await using var drop = new MySqlCommand($"DROP DATABASE IF EXISTS `{Name}`", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (MySqlException)
        {
            // A test that stopped its private server leaves nothing to drop.
        }
    }
}
