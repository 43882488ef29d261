using System.Security.Cryptography;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>The MariaDB server the tests run against: TT_TEST_MYSQL (set by test.sh).</summary>
internal static class TestServer
{
    public const string EnvironmentVariable = "TT_TEST_MYSQL";

    /// <summary>Root connection string without a database. Throws (the test fails) when TT_TEST_MYSQL is unset.</summary>
    public static string RootConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException(
                    $"{EnvironmentVariable} is not set. These tests need a real MariaDB/MySQL server: run ./test.sh " +
                    $"(it starts a private one), or export {EnvironmentVariable}='Server=127.0.0.1;Port=3307;User ID=root;Password=...' " +
                    "(a root connection string without Database=).");
            }

            return value;
        }
    }

    public static string NewDatabaseName() => "tt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string ConnectionStringFor(string database) =>
        new MySqlConnectionStringBuilder(RootConnectionString) { Database = database }.ConnectionString;

    public static async Task DropDatabaseAsync(string database)
    {
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{database}`", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// Per test class: hands out fresh databases named tt_&lt;random&gt; (not created: the migrator creates
/// them) and drops all of them when the class is done.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly Lock _gate = new();

    /// <summary>A database of this class (created on first migration).</summary>
    public string Database { get; private set; } = string.Empty;

    public string ConnectionString => TestServer.ConnectionStringFor(Database);

    public Task InitializeAsync()
    {
        _ = TestServer.RootConnectionString; // fail early and clearly when unset
        Database = NewDatabase();
        return Task.CompletedTask;
    }

    /// <summary>Another database name, dropped with the fixture.</summary>
    public string NewDatabase()
    {
        var name = TestServer.NewDatabaseName();
        lock (_gate)
        {
            _databases.Add(name);
        }

        return name;
    }

    public async Task DisposeAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestServer.EnvironmentVariable)))
        {
            return;
        }

        // Idle pooled connections of the tests may still hold a transaction (a statement that failed inside one, as the
        // racing-write tests provoke) and with it a metadata lock that DROP DATABASE would wait on until it times out.
        // Closing them makes the server roll those back first.
        await MySqlConnection.ClearAllPoolsAsync();
        foreach (var database in _databases)
        {
            await TestServer.DropDatabaseAsync(database);
        }
    }
}
