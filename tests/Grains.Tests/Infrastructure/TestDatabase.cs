using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>
/// A fresh database tt_&lt;random&gt; on the MariaDB server of TT_TEST_MYSQL (set by test.sh), migrated with the
/// production <see cref="SchemaMigrator"/> and dropped at the end; users are inserted into <c>IMUser</c> as needed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>The variable holding the root connection string (no database) of the test server.</summary>
    public const string EnvironmentVariable = "TT_TEST_MYSQL";

    private static int nextUser;

    private TestDatabase(string name, string rootConnectionString)
    {
        Name = name;
        RootConnectionString = rootConnectionString;
        ConnectionString = new MySqlConnectionStringBuilder(rootConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>A connection string naming the database.</summary>
    public string ConnectionString { get; }

    private string RootConnectionString { get; }

    /// <summary>Creates and migrates a new database; throws (the tests fail) when TT_TEST_MYSQL is unset.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var root = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. These tests need a real MariaDB/MySQL server: run ./test.sh " +
                $"(it starts a private one), or export {EnvironmentVariable}='Server=127.0.0.1;Port=3307;User ID=root;Password=...' " +
                "(a root connection string without Database=).");
        }

        var database = new TestDatabase("tt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)), root);
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).ApplyAsync(database.ConnectionString, CancellationToken.None);
        return database;
    }

    /// <summary>Inserts <paramref name="count"/> new users (department 1, status 0) and returns their ids in ascending order.</summary>
    public async Task<uint[]> NewUsersAsync(int count)
    {
        var ids = new uint[count];
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"user{Interlocked.Increment(ref nextUser)}");
            await using var insert = new MySqlCommand(
                "INSERT INTO IMUser (name, nick, password, salt, departId, status, created, updated) VALUES (@n, @n, '', '', 1, 0, 0, 0); SELECT LAST_INSERT_ID();",
                connection);
            insert.Parameters.AddWithValue("@n", name);
            ids[i] = Convert.ToUInt32(await insert.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return ids;
    }

    /// <summary>Runs one statement and returns the first column of its first row.</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync();
        await using var drop = new MySqlCommand($"DROP DATABASE IF EXISTS `{Name}`", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
