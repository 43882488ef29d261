using System.Diagnostics;
using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Scenarios;

namespace TeamTalk.Orleans.LoadGen.Tools;

/// <summary>
/// <c>ceiling</c>: the physical limit of durable messages on this database server. One client inserts the rows the
/// server writes per message (the <c>IMMessage_n</c> columns: relateId, fromId, toId, msgId, content, type, status,
/// created, updated) as B-row multi-row INSERTs, one transaction each, back to back, for D seconds, into a scratch copy
/// of <c>IMMessage_0</c> (same columns, indexes and engine; created with <c>CREATE TABLE … LIKE</c> and dropped after),
/// so that no conversation's real data or ids are touched. The server's own durability settings apply.
/// </summary>
internal static class CeilingTool
{
    public const string ScratchTable = "LoadGenCeilingMessage";

    public static async Task<ScenarioReport> RunAsync(CommonOptions common, CeilingOptions options, CancellationToken ct)
    {
        var cs = common.Db ?? throw new UsageException("ceiling needs --db (the TeamTalk MySQL database)");
        var builder = new MySqlConnectionStringBuilder(cs);
        if (!common.AllowRemote && builder.Server is not ("127.0.0.1" or "localhost" or "::1"))
        {
            throw new UsageException($"--db: {builder.Server} is not a loopback address (pass --allow-remote for your own deployment)");
        }

        await using var connection = new MySqlConnection(cs);
        await connection.OpenAsync(ct);
        var settings = await ServerSettingsAsync(connection, ct);
        await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {ScratchTable}", ct);
        await ExecuteAsync(connection, $"CREATE TABLE {ScratchTable} LIKE IMMessage_0", ct);

        var content = new string('x', options.MessageBytes);
        var sql = BuildInsert(options.Batch);
        var transactions = new LatencyHistogram();
        long rows = 0, msgId = 0;
        var now = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + Sessions.Ticks(options.Warmup);
        var end = measureFrom + Sessions.Ticks(options.Duration);
        long measuredStart = 0;
        var measuring = false;
        try
        {
            await using var insert = new MySqlCommand(sql, connection);
            var parameters = new MySqlParameter[options.Batch * 5];
            for (var i = 0; i < options.Batch; i++)
            {
                var p = i.ToString(CultureInfo.InvariantCulture);
                parameters[(i * 5) + 0] = insert.Parameters.Add("@r" + p, MySqlDbType.UInt32);
                parameters[(i * 5) + 1] = insert.Parameters.Add("@f" + p, MySqlDbType.UInt32);
                parameters[(i * 5) + 2] = insert.Parameters.Add("@t" + p, MySqlDbType.UInt32);
                parameters[(i * 5) + 3] = insert.Parameters.Add("@m" + p, MySqlDbType.UInt32);
                parameters[(i * 5) + 4] = insert.Parameters.Add("@c" + p, MySqlDbType.VarChar);
            }

            insert.Parameters.AddWithValue("@y", 1);
            insert.Parameters.AddWithValue("@d", now);
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= end)
                {
                    break;
                }

                if (!measuring && t0 >= measureFrom)
                {
                    measuring = true;
                    measuredStart = t0;
                    rows = 0;
                }

                for (var i = 0; i < options.Batch; i++)
                {
                    var id = ++msgId;
                    var relate = (uint)(1 + (id % 1000)); // 1,000 conversations in the scratch table
                    parameters[(i * 5) + 0].Value = relate;
                    parameters[(i * 5) + 1].Value = relate;
                    parameters[(i * 5) + 2].Value = relate + 1;
                    parameters[(i * 5) + 3].Value = (uint)((id / 1000) + 1);
                    parameters[(i * 5) + 4].Value = content;
                }

                await using (var transaction = await connection.BeginTransactionAsync(ct))
                {
                    insert.Transaction = transaction;
                    await insert.ExecuteNonQueryAsync(ct);
                    await transaction.CommitAsync(ct);
                }

                rows += options.Batch;
                if (measuring)
                {
                    transactions.Record(Sessions.Micros(Stopwatch.GetTimestamp() - t0));
                }
            }
        }
        finally
        {
            if (!options.KeepTable)
            {
                await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {ScratchTable}", CancellationToken.None);
            }
        }

        var seconds = Stopwatch.GetElapsedTime(measuredStart).TotalSeconds;
        var rate = measuring && seconds > 0 ? rows / seconds : 0;
        var tx = transactions.Summarize();
        var report = new ScenarioReport
        {
            Scenario = "ceiling",
            Label = common.Label,
            Parameters = new Dictionary<string, object?>
            {
                ["batch_rows"] = options.Batch,
                ["duration_s"] = options.Duration.TotalSeconds,
                ["message_bytes"] = options.MessageBytes,
                ["clients"] = 1,
            },
        };
        report.Figures["rows_per_s"] = rate;
        report.Figures["transactions_per_s"] = rate / options.Batch;
        report.Figures["transaction_latency"] = tx;
        report.Figures["server_settings"] = settings;
        report.Row("rows/s", ScenarioReport.N(rate));
        report.Row("transactions/s", ScenarioReport.N(rate / options.Batch));
        report.Latency("transaction (INSERT + COMMIT)", tx);
        report.Row("server", string.Join(", ", settings.Select(kv => $"{kv.Key}={kv.Value}")));
        return report;
    }

    /// <summary><c>INSERT INTO scratch (…) VALUES (@r0,@f0,@t0,@m0,@c0,@y,0,@d,@d),…</c> with <paramref name="batch"/> rows.</summary>
    public static string BuildInsert(int batch)
    {
        var sql = new StringBuilder(128 + (batch * 48))
            .Append("INSERT INTO ").Append(ScratchTable)
            .Append(" (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES ");
        for (var i = 0; i < batch; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@r{i},@f{i},@t{i},@m{i},@c{i},@y,0,@d,@d)");
        }

        return sql.ToString();
    }

    private static async Task<Dictionary<string, string>> ServerSettingsAsync(MySqlConnection connection, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new MySqlCommand(
            "SELECT @@version, @@innodb_flush_log_at_trx_commit, @@sync_binlog, @@log_bin, @@innodb_doublewrite", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
        {
            result["version"] = Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? string.Empty;
            result["innodb_flush_log_at_trx_commit"] = Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? string.Empty;
            result["sync_binlog"] = Convert.ToString(reader.GetValue(2), CultureInfo.InvariantCulture) ?? string.Empty;
            result["log_bin"] = Convert.ToString(reader.GetValue(3), CultureInfo.InvariantCulture) ?? string.Empty;
            result["innodb_doublewrite"] = Convert.ToString(reader.GetValue(4), CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return result;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
