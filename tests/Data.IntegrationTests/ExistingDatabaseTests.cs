using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>
/// Migration on a database that an original TeamTalk deployment created: its tables exist (utf8, the
/// old definitions, one of them older still: IMUser without sign_info), they hold data, and
/// IMMessage_3 holds duplicate (relateId, msgId) rows.
/// </summary>
public sealed class ExistingDatabaseTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static string LegacySchema()
    {
        var sql = new System.Text.StringBuilder();
        sql.AppendLine("""
            CREATE TABLE IMUser (
              id int(11) unsigned NOT NULL AUTO_INCREMENT,
              sex tinyint(1) unsigned NOT NULL DEFAULT '0',
              name varchar(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              domain varchar(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              nick varchar(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              password varchar(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              salt varchar(4) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              phone varchar(11) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              email varchar(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              avatar varchar(255) COLLATE utf8mb4_bin DEFAULT '',
              departId int(11) unsigned NOT NULL,
              status tinyint(2) unsigned DEFAULT '0',
              created int(11) unsigned NOT NULL,
              updated int(11) unsigned NOT NULL,
              push_shield_status tinyint(1) unsigned NOT NULL DEFAULT '0',
              PRIMARY KEY (id),
              KEY idx_domain (domain),
              KEY idx_name (name),
              KEY idx_phone (phone)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
            CREATE TABLE IMRelationShip (
              id int(11) NOT NULL AUTO_INCREMENT,
              smallId int(11) unsigned NOT NULL,
              bigId int(11) unsigned NOT NULL,
              status tinyint(1) unsigned DEFAULT '0',
              created int(11) unsigned NOT NULL DEFAULT '0',
              updated int(11) unsigned NOT NULL DEFAULT '0',
              PRIMARY KEY (id),
              KEY idx_smallId_bigId_status_updated (smallId, bigId, status, updated)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8;
            """);
        for (var i = 0; i < 8; i++)
        {
            sql.AppendLine($"""
                CREATE TABLE IMMessage_{i} (
                  id int(11) NOT NULL AUTO_INCREMENT,
                  relateId int(11) unsigned NOT NULL,
                  fromId int(11) unsigned NOT NULL,
                  toId int(11) unsigned NOT NULL,
                  msgId int(11) unsigned NOT NULL,
                  content varchar(4096) COLLATE utf8mb4_bin DEFAULT '',
                  type tinyint(2) unsigned NOT NULL DEFAULT '1',
                  status tinyint(1) unsigned NOT NULL DEFAULT '0',
                  updated int(11) unsigned NOT NULL,
                  created int(11) unsigned NOT NULL,
                  PRIMARY KEY (id),
                  KEY idx_relateId_status_created (relateId, status, created),
                  KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
                  KEY idx_fromId_toId_created (fromId, toId, status)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
                CREATE TABLE IMGroupMessage_{i} (
                  id int(11) NOT NULL AUTO_INCREMENT,
                  groupId int(11) unsigned NOT NULL,
                  userId int(11) unsigned NOT NULL,
                  msgId int(11) unsigned NOT NULL,
                  content varchar(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
                  type tinyint(3) unsigned NOT NULL DEFAULT '2',
                  status int(11) unsigned NOT NULL DEFAULT '0',
                  updated int(11) unsigned NOT NULL DEFAULT '0',
                  created int(11) unsigned NOT NULL DEFAULT '0',
                  PRIMARY KEY (id),
                  KEY idx_groupId_status_created (groupId, status, created),
                  KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
                """);
        }

        sql.AppendLine("""
            INSERT INTO IMUser (name, nick, password, salt, departId, created, updated)
              VALUES ('alice', 'Alice', 'c4ca4238a0b923820dcc509a6f75849b', '12', 1, 100, 100),
                     ('bob', 'Bob', 'c81e728d9d4c2f636f067f89cc14862c', '34', 1, 100, 100);
            INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) VALUES (1, 2, 0, 100, 100);
            INSERT INTO IMMessage_1 (relateId, fromId, toId, msgId, content, updated, created)
              VALUES (1, 1, 2, 1, 'hello', 100, 100), (1, 2, 1, 2, 'hi', 101, 101);
            INSERT INTO IMMessage_3 (relateId, fromId, toId, msgId, content, updated, created)
              VALUES (3, 1, 2, 1, 'a', 100, 100), (3, 1, 2, 1, 'a again', 100, 100),
                     (3, 2, 1, 2, 'b', 101, 101),
                     (11, 1, 2, 5, 'c', 102, 102), (11, 1, 2, 5, 'c2', 102, 102), (11, 1, 2, 5, 'c3', 102, 102);
            INSERT INTO IMGroupMessage_1 (groupId, userId, msgId, content, updated, created)
              VALUES (1, 1, 1, 'g1', 100, 100), (1, 2, 2, 'g2', 100, 100);
            """);
        return sql.ToString();
    }

    private static async Task<Dictionary<string, List<string>>> SnapshotAsync(string cs, IEnumerable<string> tables)
    {
        var snapshot = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            snapshot[table + " rows"] = await Db.RowsAsync(cs, $"SELECT * FROM `{table}` ORDER BY id");
            snapshot[table + " columns"] = await Db.RowsAsync(cs, """
                SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME, EXTRA
                FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION
                """, ("@t", table));
            snapshot[table + " table"] = await Db.RowsAsync(cs,
                "SELECT ENGINE, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t", ("@t", table));
        }

        return snapshot;
    }

    [Fact]
    public async Task Migration_keeps_existing_tables_and_data_and_skips_the_unique_key_where_ids_repeat()
    {
        var database = fixture.NewDatabase();
        await Db.ExecAsync(TestServer.RootConnectionString, $"CREATE DATABASE `{database}` CHARACTER SET utf8");
        var cs = TestServer.ConnectionStringFor(database);
        await using (var connection = await Db.OpenAsync(cs))
        {
            foreach (var statement in SqlScript.Split(LegacySchema()))
            {
                await using var command = new MySqlConnector.MySqlCommand(statement, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        string[] legacyTables =
        [
            "IMUser", "IMRelationShip",
            .. Enumerable.Range(0, 8).Select(i => $"IMMessage_{i}"),
            .. Enumerable.Range(0, 8).Select(i => $"IMGroupMessage_{i}"),
        ];
        var before = await SnapshotAsync(cs, legacyTables);
        var logger = new ListLogger<SchemaMigrator>();

        var report = await new SchemaMigrator(logger).ApplyAsync(cs, CancellationToken.None);

        // Unique keys everywhere except IMMessage_3, which holds two duplicate pairs.
        Assert.Equal(15, report.UniqueKeysAdded.Count);
        Assert.DoesNotContain("IMMessage_3", report.UniqueKeysAdded);
        Assert.Equal(new Dictionary<string, long> { ["IMMessage_3"] = 2 }, report.UniqueKeysSkipped);
        Assert.Empty(await Db.UniqueIndexesAsync(cs, "IMMessage_3"));
        Assert.Equal(["uk_relateId_msgId:relateId,msgId"], await Db.UniqueIndexesAsync(cs, "IMMessage_1"));
        Assert.Equal(["uk_groupId_msgId:groupId,msgId"], await Db.UniqueIndexesAsync(cs, "IMGroupMessage_1"));
        var warning = Assert.Single(logger.Warnings, w => w.Contains("IMMessage_3", StringComparison.Ordinal));
        Assert.Contains("2 duplicate", warning, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("sign_info", StringComparison.Ordinal));
        Assert.Equal(["sign_info"], report.MissingColumns["IMUser"]);

        // Rows, columns and table options of the existing tables are exactly as before.
        var after = await SnapshotAsync(cs, legacyTables);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var key in before.Keys)
        {
            Assert.True(before[key].SequenceEqual(after[key]), $"{key} changed:\n{string.Join("\n", before[key])}\n---\n{string.Join("\n", after[key])}");
        }

        // The missing tables were created; the user index on updated was added.
        Assert.Equal(0L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM IMTransmitFile"));
        Assert.Equal(0L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM IMGroup"));
        Assert.Equal(1L, await Db.LongAsync(cs, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'IMUser' AND COLUMN_NAME = 'updated' AND SEQ_IN_INDEX = 1"));

        // Again: still no failure, the same warning, nothing else changes.
        var logger2 = new ListLogger<SchemaMigrator>();
        var again = await new SchemaMigrator(logger2).ApplyAsync(cs, CancellationToken.None);
        Assert.Empty(again.UniqueKeysAdded);
        Assert.Equal(new Dictionary<string, long> { ["IMMessage_3"] = 2 }, again.UniqueKeysSkipped);
        Assert.Contains(logger2.Warnings, w => w.Contains("IMMessage_3", StringComparison.Ordinal));
        var third = await SnapshotAsync(cs, legacyTables);
        Assert.Equal(after["IMMessage_3 rows"], third["IMMessage_3 rows"]);

        // Once the operator removes the duplicates, the next migration adds the key.
        await Db.ExecAsync(cs, "DELETE FROM IMMessage_3 WHERE content IN ('a again', 'c2', 'c3')");
        var fixedReport = await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(cs, CancellationToken.None);
        Assert.Equal(["IMMessage_3"], fixedReport.UniqueKeysAdded);
        Assert.Equal(["uk_relateId_msgId:relateId,msgId"], await Db.UniqueIndexesAsync(cs, "IMMessage_3"));
    }

    [Fact]
    public async Task Stock_orleans_blob_payload_is_widened_to_longblob()
    {
        var database = fixture.NewDatabase();
        await Db.ExecAsync(TestServer.RootConnectionString, $"CREATE DATABASE `{database}` CHARACTER SET utf8mb4");
        var cs = TestServer.ConnectionStringFor(database);
        await Db.ExecAsync(cs, """
            CREATE TABLE OrleansStorage (
              GrainIdHash INT NOT NULL, GrainIdN0 BIGINT NOT NULL, GrainIdN1 BIGINT NOT NULL, GrainTypeHash INT NOT NULL,
              GrainTypeString NVARCHAR(512) NOT NULL, GrainIdExtensionString NVARCHAR(512) NULL, ServiceId NVARCHAR(150) NOT NULL,
              PayloadBinary BLOB NULL, ModifiedOn DATETIME NOT NULL, Version INT NULL)
            """);

        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(cs, CancellationToken.None);

        Assert.Equal("longblob", await Db.ScalarAsync(cs, "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'OrleansStorage' AND COLUMN_NAME = 'PayloadBinary'"));
    }
}
