using System.Diagnostics;
using MySqlConnector;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Data.IntegrationTests;

public sealed class MigrationTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    /// <summary>The scripts under sql/ (see Embedded_scripts_are_ordered_orleans_first); each is recorded once.</summary>
    private static readonly int ScriptCount = SchemaMigrator.LoadScripts().Count;
    private static readonly string[] OriginalTables =
    [
        "IMAdmin", "IMAudio", "IMDepart", "IMDiscovery", "IMGroup", "IMGroupMember",
        .. Enumerable.Range(0, 8).Select(i => $"IMGroupMessage_{i}"),
        .. Enumerable.Range(0, 8).Select(i => $"IMMessage_{i}"),
        "IMRecentSession", "IMRelationShip", "IMUser", "IMTransmitFile",
    ];

    private static readonly string[] OrleansQueryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteStorageKey",
        "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
        "MembershipReadRowKey", "ReadFromStorageKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "WriteToStorageKey",
    ];

    [Fact]
    public async Task Migrate_empty_server_creates_database_tables_queries_and_keys()
    {
        var database = fixture.NewDatabase();
        var cs = TestServer.ConnectionStringFor(database);
        var report = await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(cs, CancellationToken.None);

        Assert.True(report.DatabaseCreated);
        Assert.Equal(ScriptCount, report.ScriptsRecorded.Count);
        Assert.Equal(16, report.UniqueKeysAdded.Count);
        Assert.Empty(report.UniqueKeysSkipped);
        Assert.Empty(report.MissingColumns);

        Assert.Equal("utf8mb4", await Db.ScalarAsync(cs, "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"));
        var tables = await Db.RowsAsync(cs, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
        foreach (var table in OriginalTables.Concat(["OrleansQuery", "OrleansMembershipVersionTable", "OrleansMembershipTable", "OrleansStorage", SchemaMigrator.HistoryTable]))
        {
            Assert.Contains(table, tables);
        }

        var nonUtf8mb4 = await Db.RowsAsync(cs, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_COLLATION NOT LIKE 'utf8mb4%'");
        Assert.Empty(nonUtf8mb4);

        Assert.Equal(OrleansQueryKeys, await Db.RowsAsync(cs, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey"));
        Assert.Equal("longblob", await Db.ScalarAsync(cs, "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'OrleansStorage' AND COLUMN_NAME = 'PayloadBinary'"));
        Assert.Equal("utf8mb4_bin", await Db.ScalarAsync(cs, "SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'IMUser' AND COLUMN_NAME = 'name'"));
        Assert.Equal(1L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'IMUser' AND COLUMN_NAME = 'updated' AND SEQ_IN_INDEX = 1"));

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(["uk_relateId_msgId:relateId,msgId"], await Db.UniqueIndexesAsync(cs, $"IMMessage_{i}"));
            Assert.Equal(["uk_groupId_msgId:groupId,msgId"], await Db.UniqueIndexesAsync(cs, $"IMGroupMessage_{i}"));
        }

        // IMUser.name compares case-sensitively (binary collation), as login requires.
        await Db.ExecAsync(cs, "INSERT INTO IMUser (name, departId, created, updated) VALUES ('Alice', 1, 0, 0)");
        Assert.Equal(0L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM IMUser WHERE name = 'alice'"));
        Assert.Equal(1L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM IMUser WHERE name = 'Alice'"));

        // A second message with the same (relateId, msgId) is now refused by the database.
        await Db.ExecAsync(cs, "INSERT INTO IMMessage_1 (relateId, fromId, toId, msgId, content, updated, created) VALUES (9, 1, 2, 1, 'x', 0, 0)");
        var duplicate = await Assert.ThrowsAsync<MySqlException>(() => Db.ExecAsync(cs,
            "INSERT INTO IMMessage_1 (relateId, fromId, toId, msgId, content, updated, created) VALUES (9, 1, 2, 1, 'y', 0, 0)"));
        Assert.Equal(MySqlErrorCode.DuplicateKeyEntry, duplicate.ErrorCode);
    }

    [Fact]
    public async Task Migrate_twice_is_idempotent_and_leaves_history_unchanged()
    {
        var cs = TestServer.ConnectionStringFor(fixture.NewDatabase());
        var migrator = new SchemaMigrator(new ListLogger<SchemaMigrator>());
        await migrator.ApplyAsync(cs, CancellationToken.None);
        const string HistoryQuery = "SELECT Name, Checksum, AppliedAtUtc, Statements FROM TeamTalkSchemaHistory ORDER BY Name";
        var history = await Db.RowsAsync(cs, HistoryQuery);
        var queries = await Db.RowsAsync(cs, "SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey");
        Assert.Equal(ScriptCount + 16, history.Count);

        var second = await migrator.ApplyAsync(cs, CancellationToken.None);

        Assert.False(second.DatabaseCreated);
        Assert.Empty(second.ScriptsRecorded);
        Assert.Equal(ScriptCount, second.ScriptsUnchanged.Count);
        Assert.Empty(second.UniqueKeysAdded);
        Assert.Empty(second.UniqueKeysSkipped);
        Assert.Equal(history, await Db.RowsAsync(cs, HistoryQuery));
        Assert.Equal(queries, await Db.RowsAsync(cs, "SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey"));
        Assert.Equal(1L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'IMUser' AND COLUMN_NAME = 'updated'"));
    }

    [Fact]
    public async Task Migrate_recreates_a_dropped_table_and_refreshes_a_query_row()
    {
        var cs = TestServer.ConnectionStringFor(fixture.NewDatabase());
        var migrator = new SchemaMigrator(new ListLogger<SchemaMigrator>());
        await migrator.ApplyAsync(cs, CancellationToken.None);
        await Db.ExecAsync(cs, "DROP TABLE IMTransmitFile");
        await Db.ExecAsync(cs, "UPDATE OrleansQuery SET QueryText = 'broken' WHERE QueryKey = 'GatewaysQueryKey'");

        await migrator.ApplyAsync(cs, CancellationToken.None);

        Assert.Equal(0L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM IMTransmitFile"));
        Assert.NotEqual("broken", await Db.ScalarAsync(cs, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'GatewaysQueryKey'"));
    }

    [Fact]
    public async Task Two_migrators_at_once_both_succeed()
    {
        var cs = TestServer.ConnectionStringFor(fixture.NewDatabase());
        var first = new SchemaMigrator(new ListLogger<SchemaMigrator>());
        var second = new SchemaMigrator(new ListLogger<SchemaMigrator>());

        var reports = await Task.WhenAll(
            Task.Run(() => first.ApplyAsync(cs, CancellationToken.None)),
            Task.Run(() => second.ApplyAsync(cs, CancellationToken.None)));

        Assert.Equal(16, reports.Sum(r => r.UniqueKeysAdded.Count));
        Assert.Equal(ScriptCount, reports.Sum(r => r.ScriptsRecorded.Count));
        Assert.Equal(ScriptCount + 16, await Db.LongAsync(cs, "SELECT COUNT(*) FROM TeamTalkSchemaHistory"));
        Assert.Equal(13, await Db.LongAsync(cs, "SELECT COUNT(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task Unreachable_server_fails_fast_with_host_port_database_and_error()
    {
        var builder = new MySqlConnectionStringBuilder(TestServer.RootConnectionString)
        {
            Port = 1, // nothing listens on port 1
            Database = "tt_unreachable",
        };
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<SchemaMigrationException>(() =>
            new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(builder.ConnectionString, CancellationToken.None));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Contains($"{builder.Server}:1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tt_unreachable", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Unable to connect", ex.Message, StringComparison.Ordinal);
        Assert.IsType<MySqlException>(ex.InnerException);
    }

    [Fact]
    public async Task Wrong_password_fails_with_the_server_message()
    {
        var builder = new MySqlConnectionStringBuilder(TestServer.RootConnectionString)
        {
            Password = "definitely-wrong",
            Database = "tt_wrong_password",
        };

        var ex = await Assert.ThrowsAsync<SchemaMigrationException>(() =>
            new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(builder.ConnectionString, CancellationToken.None));

        Assert.Contains("Access denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{builder.Server}:{builder.Port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_string_without_database_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<SchemaMigrationException>(() =>
            new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(TestServer.RootConnectionString, CancellationToken.None));
        Assert.Contains("names no database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_splitter_keeps_semicolons_inside_quotes_and_drops_comments()
    {
        const string Script = """
            -- a comment; with a semicolon
            CREATE TABLE t (a INT); # another; comment
            INSERT INTO q VALUES ('k', '
            SELECT 1;
            SELECT ''it''''s'';
            ');
            /* block; comment */ SELECT "a;b", `c;d`, 'e\';f';
            """;

        var statements = SqlScript.Split(Script);

        Assert.Equal(3, statements.Count);
        Assert.Equal("CREATE TABLE t (a INT)", statements[0]);
        Assert.StartsWith("INSERT INTO q VALUES ('k', '", statements[1], StringComparison.Ordinal);
        Assert.Contains("SELECT 1;", statements[1], StringComparison.Ordinal);
        Assert.Equal("SELECT \"a;b\", `c;d`, 'e\\';f'", statements[2]);
        Assert.Throws<FormatException>(() => SqlScript.Split("DELIMITER $$\nSELECT 1$$"));
    }

    [Fact]
    public void Embedded_scripts_are_ordered_orleans_first()
    {
        var names = SchemaMigrator.LoadScripts().Select(s => s.Name).ToList();
        Assert.Equal(
            ["orleans/001_main.sql", "orleans/002_clustering.sql", "orleans/003_persistence.sql", "teamtalk/001_tables.sql", "teamtalk/002_additions.sql", "teamtalk/010_messaging.sql", "teamtalk/020_groups.sql", "teamtalk/030_devices.sql", "teamtalk/040_files.sql", "teamtalk/045_msfs.sql", "teamtalk/050_login.sql"],
            names);
    }
}
