using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.Schema;

/// <summary>
/// Brings a MySQL/MariaDB database to the schema TeamTalk.Orleans needs, safely and repeatably:
/// creates the database if missing, then (holding a server-wide named lock so that several silos
/// starting together take turns) runs the embedded scripts — sql/orleans/*.sql, then
/// sql/teamtalk/*.sql — and finally the conditional steps that depend on existing data (unique
/// keys on the message tables, added only where no duplicate ids exist).
/// Works on an empty server, on its own earlier result, and on an existing TeamTalk database.
/// </summary>
public sealed partial class SchemaMigrator
{
    /// <summary>Name of the MySQL named lock held while migrating (GET_LOCK).</summary>
    public const string LockName = "teamtalk_orleans_schema";

    /// <summary>Table of ours recording applied scripts and steps.</summary>
    public const string HistoryTable = "TeamTalkSchemaHistory";

    private const int LockTimeoutSeconds = 60;
    private const int StatementTimeoutSeconds = 300;
    private const string ResourcePrefix = "sql/";
    private static readonly string[] ScriptFolders = ["orleans", "teamtalk"];

    private readonly ILogger<SchemaMigrator> _logger;

    public SchemaMigrator(ILogger<SchemaMigrator> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>The unique keys added by the conditional steps: table, key name, columns.</summary>
    public static IReadOnlyList<(string Table, string KeyName, string[] Columns)> MessageUniqueKeys { get; } =
        Enumerable.Range(0, 8).Select(i => ($"IMMessage_{i}", "uk_relateId_msgId", new[] { "relateId", "msgId" }))
            .Concat(Enumerable.Range(0, 8).Select(i => ($"IMGroupMessage_{i}", "uk_groupId_msgId", new[] { "groupId", "msgId" })))
            .ToArray();

    /// <summary>The embedded scripts in the order they are applied: (name, text).</summary>
    public static IReadOnlyList<(string Name, string Text)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Select(n => (Resource: n, Name: n.Replace('\\', '/')))
            .Where(n => n.Name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                        && n.Name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            .ToList();

        var result = new List<(string Name, string Text)>();
        foreach (var folder in ScriptFolders)
        {
            var prefix = ResourcePrefix + folder + "/";
            foreach (var (resource, name) in names
                         .Where(n => n.Name.StartsWith(prefix, StringComparison.Ordinal))
                         .OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                result.Add((name[ResourcePrefix.Length..], ReadResource(assembly, resource)));
            }
        }

        if (result.Count == 0)
        {
            throw new InvalidOperationException("No embedded sql/ scripts found in TeamTalk.Orleans.Storage.");
        }

        return result;
    }

    /// <summary>
    /// Applies the schema to the database named in <paramref name="connectionString"/>.
    /// Throws <see cref="SchemaMigrationException"/> with host, port, database and the server's
    /// message when the server cannot be reached or a statement fails.
    /// </summary>
    public async Task<SchemaMigrationReport> ApplyAsync(string connectionString, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var stopwatch = Stopwatch.StartNew();
        var report = new SchemaMigrationReport();

        MySqlConnectionStringBuilder target;
        try
        {
            target = new MySqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new SchemaMigrationException($"Invalid MySQL connection string: {ex.Message}", ex);
        }

        var database = target.Database;
        if (string.IsNullOrWhiteSpace(database))
        {
            throw new SchemaMigrationException(
                $"The connection string for {Describe(target)} names no database: add Database=<name>.");
        }

        if (database.Length > 64 || database.Contains('\0', StringComparison.Ordinal) || database != database.Trim())
        {
            throw new SchemaMigrationException($"Invalid database name '{database}'.");
        }

        var scripts = LoadScripts();

        // 1. The database itself (a connection without a database selected).
        var serverCs = new MySqlConnectionStringBuilder(target.ConnectionString) { Database = string.Empty, Pooling = false };
        await using (var server = await OpenAsync(serverCs, target, ct))
        {
            report.DatabaseCreated = await EnsureDatabaseAsync(server, database, target, ct);
        }

        // 2. Everything else on one connection that holds the named lock.
        var workCs = new MySqlConnectionStringBuilder(target.ConnectionString)
        {
            Pooling = false,
            AllowUserVariables = true,
            DefaultCommandTimeout = StatementTimeoutSeconds,
        };
        await using var connection = await OpenAsync(workCs, target, ct);
        await AcquireLockAsync(connection, target, ct);
        try
        {
            await EnsureHistoryTableAsync(connection, ct);
            var history = await ReadHistoryAsync(connection, ct);

            foreach (var (name, text) in scripts)
            {
                await ApplyScriptAsync(connection, name, text, history, report, target, ct);
            }

            await CheckOriginalColumnsAsync(connection, scripts, report, ct);
            await EnsurePayloadIsLongBlobAsync(connection, history, ct);
            foreach (var (table, keyName, columns) in MessageUniqueKeys)
            {
                await EnsureUniqueKeyAsync(connection, table, keyName, columns, history, report, ct);
            }
        }
        finally
        {
            await ReleaseLockAsync(connection);
        }

        report.Elapsed = stopwatch.Elapsed;
        LogDone(database, report.ScriptsRecorded.Count, report.ScriptsUnchanged.Count,
            report.UniqueKeysAdded.Count, report.UniqueKeysSkipped.Count, (long)report.Elapsed.TotalMilliseconds);
        return report;
    }

    private static string Describe(MySqlConnectionStringBuilder cs) =>
        string.Create(CultureInfo.InvariantCulture, $"MySQL server {cs.Server}:{cs.Port}");

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"Embedded resource {resource} not found.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Checksum(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string QuoteIdentifier(string name) =>
        "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    private async Task<MySqlConnection> OpenAsync(MySqlConnectionStringBuilder cs, MySqlConnectionStringBuilder target, CancellationToken ct)
    {
        var connection = new MySqlConnection(cs.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            LogConnectFailed(ex, target.Server, target.Port, target.Database);
            throw new SchemaMigrationException(
                $"Cannot connect to {Describe(target)} (database '{target.Database}', user '{target.UserID}'): {ex.Message}", ex);
        }
    }

    private async Task<bool> EnsureDatabaseAsync(MySqlConnection server, string database, MySqlConnectionStringBuilder target, CancellationToken ct)
    {
        await using (var exists = new MySqlCommand("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @name", server))
        {
            exists.Parameters.AddWithValue("@name", database);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }
        }

        try
        {
            // An identifier cannot be a parameter: quoted (back-ticks doubled) instead.
            await using var create = new MySqlCommand(
                $"CREATE DATABASE IF NOT EXISTS {QuoteIdentifier(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", server);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (MySqlException ex)
        {
            throw new SchemaMigrationException(
                $"Cannot create database '{database}' on {Describe(target)}: {ex.Message}", ex);
        }

        LogDatabaseCreated(database, target.Server, target.Port);
        return true;
    }

    private async Task AcquireLockAsync(MySqlConnection connection, MySqlConnectionStringBuilder target, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        await using var command = new MySqlCommand("SELECT GET_LOCK(@name, @timeout)", connection);
        command.Parameters.AddWithValue("@name", LockName);
        command.Parameters.AddWithValue("@timeout", LockTimeoutSeconds);
        command.CommandTimeout = LockTimeoutSeconds + 30;
        var result = await command.ExecuteScalarAsync(ct);
        if (result is null or DBNull || Convert.ToInt64(result, CultureInfo.InvariantCulture) != 1)
        {
            throw new SchemaMigrationException(
                $"Could not take the schema lock '{LockName}' on {Describe(target)} within {LockTimeoutSeconds} s: another migration is still running.");
        }

        if (waited.ElapsedMilliseconds > 500)
        {
            LogWaitedForLock(LockName, waited.ElapsedMilliseconds);
        }
    }

    private async Task ReleaseLockAsync(MySqlConnection connection)
    {
        try
        {
            await using var command = new MySqlCommand("SELECT RELEASE_LOCK(@name)", connection);
            command.Parameters.AddWithValue("@name", LockName);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (MySqlException ex)
        {
            // Closing the (unpooled) connection releases the lock anyway.
            LogReleaseLockFailed(ex);
        }
    }

    private static async Task EnsureHistoryTableAsync(MySqlConnection connection, CancellationToken ct)
    {
        const string Sql = """
            CREATE TABLE IF NOT EXISTS TeamTalkSchemaHistory (
                Name          VARCHAR(255) NOT NULL,
                Checksum      CHAR(64)     NOT NULL,
                AppliedAtUtc  DATETIME(3)  NOT NULL,
                AppliedBy     VARCHAR(255) NOT NULL,
                Statements    INT          NOT NULL,
                DurationMs    INT          NOT NULL,
                PRIMARY KEY (Name)
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
            """;
        await using var command = new MySqlCommand(Sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Dictionary<string, string>> ReadHistoryAsync(MySqlConnection connection, CancellationToken ct)
    {
        var history = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new MySqlCommand("SELECT Name, Checksum FROM TeamTalkSchemaHistory", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            history[reader.GetString(0)] = reader.GetString(1);
        }

        return history;
    }

    private static async Task RecordAsync(MySqlConnection connection, string name, string checksum, int statements, long durationMs, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO TeamTalkSchemaHistory (Name, Checksum, AppliedAtUtc, AppliedBy, Statements, DurationMs)
            VALUES (@name, @checksum, UTC_TIMESTAMP(3), @by, @statements, @duration)
            ON DUPLICATE KEY UPDATE Checksum = VALUES(Checksum), AppliedAtUtc = VALUES(AppliedAtUtc),
                AppliedBy = VALUES(AppliedBy), Statements = VALUES(Statements), DurationMs = VALUES(DurationMs)
            """;
        await using var command = new MySqlCommand(Sql, connection);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@checksum", checksum);
        command.Parameters.AddWithValue("@by", $"{Environment.MachineName} pid {Environment.ProcessId}");
        command.Parameters.AddWithValue("@statements", statements);
        command.Parameters.AddWithValue("@duration", (int)Math.Min(durationMs, int.MaxValue));
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task ApplyScriptAsync(MySqlConnection connection, string name, string text,
        Dictionary<string, string> history, SchemaMigrationReport report, MySqlConnectionStringBuilder target, CancellationToken ct)
    {
        var checksum = Checksum(text);
        IReadOnlyList<string> statements;
        try
        {
            statements = SqlScript.Split(text);
        }
        catch (FormatException ex)
        {
            throw new SchemaMigrationException($"Script {name} cannot be split into statements: {ex.Message}", ex);
        }

        // Every script is idempotent, so it runs every time (this also repairs a dropped table);
        // the history records a script when it is new or its text changed.
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                await using var command = new MySqlCommand(statements[i], connection);
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (MySqlException ex)
            {
                var preview = statements[i].Length > 200 ? statements[i][..200] + "…" : statements[i];
                throw new SchemaMigrationException(
                    $"Script {name}, statement {i + 1} of {statements.Count}, failed on {Describe(target)} database '{target.Database}': {ex.Message}\n{preview}", ex);
            }
        }

        var elapsed = stopwatch.ElapsedMilliseconds;
        if (history.TryGetValue(name, out var recorded) && recorded == checksum)
        {
            report.ScriptsUnchanged.Add(name);
            LogScriptUnchanged(name, statements.Count, elapsed);
            return;
        }

        await RecordAsync(connection, name, checksum, statements.Count, elapsed, ct);
        history[name] = checksum;
        report.ScriptsRecorded.Add(name);
        if (recorded is null)
        {
            LogScriptApplied(name, statements.Count, elapsed);
        }
        else
        {
            LogScriptChanged(name, statements.Count, elapsed);
        }
    }

    /// <summary>
    /// Compares the columns of the original TeamTalk tables with those in sql/teamtalk/001_tables.sql
    /// and warns about missing ones (never alters an existing column or table).
    /// </summary>
    private async Task CheckOriginalColumnsAsync(MySqlConnection connection, IReadOnlyList<(string Name, string Text)> scripts,
        SchemaMigrationReport report, CancellationToken ct)
    {
        var expected = ExpectedColumns(scripts.Where(s => s.Name.EndsWith("teamtalk/001_tables.sql", StringComparison.Ordinal)).Select(s => s.Text));
        if (expected.Count == 0)
        {
            return;
        }

        var actual = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        await using (var command = new MySqlCommand(
                         "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var table = reader.GetString(0);
                if (!actual.TryGetValue(table, out var set))
                {
                    set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    actual[table] = set;
                }

                set.Add(reader.GetString(1));
            }
        }

        foreach (var (table, columns) in expected)
        {
            if (!actual.TryGetValue(table, out var present))
            {
                continue;
            }

            var missing = columns.Where(c => !present.Contains(c)).ToArray();
            if (missing.Length > 0)
            {
                report.MissingColumns[table] = missing;
                LogMissingColumns(table, string.Join(", ", missing));
            }
        }
    }

    [GeneratedRegex(@"^CREATE TABLE IF NOT EXISTS\s+`?(\w+)`?\s*\((.*)\)[^)]*$", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CreateTableRegex();

    [GeneratedRegex(@"^\s*`?(\w+)`?\s+[A-Za-z]", RegexOptions.None)]
    private static partial Regex ColumnLineRegex();

    internal static Dictionary<string, List<string>> ExpectedColumns(IEnumerable<string> scriptTexts)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string[] notColumns = ["PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN", "FULLTEXT"];
        foreach (var statement in scriptTexts.SelectMany(SqlScript.Split))
        {
            var match = CreateTableRegex().Match(statement);
            if (!match.Success)
            {
                continue;
            }

            var columns = new List<string>();
            foreach (var line in match.Groups[2].Value.Split('\n'))
            {
                var column = ColumnLineRegex().Match(line);
                if (column.Success && !notColumns.Contains(column.Groups[1].Value, StringComparer.OrdinalIgnoreCase))
                {
                    columns.Add(column.Groups[1].Value);
                }
            }

            result[match.Groups[1].Value] = columns;
        }

        return result;
    }

    /// <summary>An OrleansStorage created by the stock Orleans script has a BLOB payload (64 KB): widen it.</summary>
    private async Task EnsurePayloadIsLongBlobAsync(MySqlConnection connection, Dictionary<string, string> history, CancellationToken ct)
    {
        await using var check = new MySqlCommand("""
            SELECT DATA_TYPE FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'OrleansStorage' AND COLUMN_NAME = 'PayloadBinary'
            """, connection);
        var type = await check.ExecuteScalarAsync(ct) as string;
        if (type is null || string.Equals(type, "longblob", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        await using (var alter = new MySqlCommand("ALTER TABLE OrleansStorage MODIFY PayloadBinary LONGBLOB NULL", connection))
        {
            alter.CommandTimeout = 0;
            await alter.ExecuteNonQueryAsync(ct);
        }

        const string StepName = "step/OrleansStorage.PayloadBinary=LONGBLOB";
        await RecordAsync(connection, StepName, Checksum(StepName), 1, stopwatch.ElapsedMilliseconds, ct);
        history[StepName] = Checksum(StepName);
        LogPayloadWidened(type);
    }

    private async Task EnsureUniqueKeyAsync(MySqlConnection connection, string table, string keyName, string[] columns,
        Dictionary<string, string> history, SchemaMigrationReport report, CancellationToken ct)
    {
        var wanted = string.Join(",", columns);
        var nameTaken = false;
        await using (var indexes = new MySqlCommand("""
            SELECT INDEX_NAME, MIN(NON_UNIQUE), GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ',')
            FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table
            GROUP BY INDEX_NAME
            """, connection))
        {
            indexes.Parameters.AddWithValue("@table", table);
            await using var reader = await indexes.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var unique = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) == 0;
                if (unique && string.Equals(reader.GetString(2), wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return; // already there (ours or an operator's)
                }

                nameTaken |= string.Equals(reader.GetString(0), keyName, StringComparison.OrdinalIgnoreCase);
            }
        }

        if (nameTaken)
        {
            LogIndexNameTaken(table, keyName);
            report.UniqueKeysSkipped[table] = 0;
            return;
        }

        var columnList = string.Join(", ", columns.Select(QuoteIdentifier));
        long pairs;
        long surplus;
        await using (var duplicates = new MySqlCommand(
                         $"SELECT COUNT(*), COALESCE(SUM(n), 0) - COUNT(*) FROM (SELECT COUNT(*) AS n FROM {QuoteIdentifier(table)} GROUP BY {columnList} HAVING COUNT(*) > 1) AS d",
                         connection))
        {
            duplicates.CommandTimeout = 0;
            await using var reader = await duplicates.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            pairs = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            surplus = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        if (pairs > 0)
        {
            report.UniqueKeysSkipped[table] = pairs;
            LogDuplicates(table, pairs, surplus, wanted, keyName);
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            await using var alter = new MySqlCommand(
                $"ALTER TABLE {QuoteIdentifier(table)} ADD UNIQUE KEY {QuoteIdentifier(keyName)} ({columnList})", connection);
            alter.CommandTimeout = 0;
            await alter.ExecuteNonQueryAsync(ct);
        }
        catch (MySqlException ex) when (ex.ErrorCode is MySqlErrorCode.DuplicateKeyEntry or MySqlErrorCode.DuplicateKeyName)
        {
            // A writer inserted a duplicate between the check and the ALTER, or the name appeared.
            report.UniqueKeysSkipped[table] = 1;
            LogAddUniqueKeyFailed(ex, table, keyName);
            return;
        }

        var step = $"step/{keyName}/{table}";
        var checksum = Checksum($"{table}:{keyName}({wanted})");
        await RecordAsync(connection, step, checksum, 1, stopwatch.ElapsedMilliseconds, ct);
        history[step] = checksum;
        report.UniqueKeysAdded.Add(table);
        LogUniqueKeyAdded(table, keyName, wanted, stopwatch.ElapsedMilliseconds);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Cannot connect to MySQL server {Host}:{Port} (database '{Database}')")]
    private partial void LogConnectFailed(Exception exception, string host, uint port, string database);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Created database '{Database}' on {Host}:{Port} (utf8mb4)")]
    private partial void LogDatabaseCreated(string database, string host, uint port);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Waited {ElapsedMs} ms for the schema lock '{LockName}' (another migrator was running)")]
    private partial void LogWaitedForLock(string lockName, long elapsedMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Releasing the schema lock failed (closing the connection releases it)")]
    private partial void LogReleaseLockFailed(Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Applied {Script}: {Statements} statements in {ElapsedMs} ms")]
    private partial void LogScriptApplied(string script, int statements, long elapsedMs);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Applied changed script {Script}: {Statements} statements in {ElapsedMs} ms")]
    private partial void LogScriptChanged(string script, int statements, long elapsedMs);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Checked {Script} (unchanged): {Statements} statements in {ElapsedMs} ms")]
    private partial void LogScriptUnchanged(string script, int statements, long elapsedMs);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Table {Table} lacks columns this server uses: {Columns} (older TeamTalk schema?); columns are never added automatically")]
    private partial void LogMissingColumns(string table, string columns);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "OrleansStorage.PayloadBinary was {Type}; widened to LONGBLOB")]
    private partial void LogPayloadWidened(string type);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Table {Table} already has an index named {KeyName} that is not UNIQUE on the expected columns; unique key not added")]
    private partial void LogIndexNameTaken(string table, string keyName);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Table {Table} holds {Pairs} duplicate ({Columns}) pairs ({Surplus} surplus rows): unique key {KeyName} not added; the server still works, without the database-level guard for this table")]
    private partial void LogDuplicates(string table, long pairs, long surplus, string columns, string keyName);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Adding unique key {KeyName} to {Table} failed; skipped")]
    private partial void LogAddUniqueKeyFailed(Exception exception, string table, string keyName);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Added unique key {KeyName} ({Columns}) to {Table} in {ElapsedMs} ms")]
    private partial void LogUniqueKeyAdded(string table, string keyName, string columns, long elapsedMs);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Schema of '{Database}' is up to date: {Recorded} scripts recorded, {Unchanged} unchanged, {KeysAdded} unique keys added, {KeysSkipped} skipped, {ElapsedMs} ms")]
    private partial void LogDone(string database, int recorded, int unchanged, int keysAdded, int keysSkipped, long elapsedMs);
}
