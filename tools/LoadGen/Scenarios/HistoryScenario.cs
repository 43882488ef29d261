using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// <c>history</c>: one conversation (users 0 and 1) holding N messages, filled straight into its IMMessage_n table when
/// it holds fewer (so run it on a pair that is not chatting); its parties read random pages of it concurrently
/// (<c>CID_MSG_LIST_REQUEST</c>, newest-first pages ending at a random id) from up to four connections (each party as
/// Android and as Windows), several requests in flight each. Reports pages/s, messages/s and page latency.
/// </summary>
internal sealed class HistoryScenario(HistoryOptions history) : IScenario
{
    public string Name => "history";

    public IReadOnlyDictionary<string, object?> Parameters => new Dictionary<string, object?>
    {
        ["messages"] = history.Messages,
        ["readers"] = history.Readers,
        ["depth"] = history.Depth,
        ["page"] = history.Page,
        ["duration_s"] = history.Duration.TotalSeconds,
    };

    public int UsersNeeded => 2;

    public async Task SetupAsync(CommonOptions common, CancellationToken ct)
    {
        if (common.Processes != 1)
        {
            throw new UsageException("history runs in one process (--processes 1)");
        }

        var cs = common.Db ?? throw new UsageException("history needs --db (to fill the conversation)");
        await using var connection = new MySqlConnection(cs);
        await connection.OpenAsync(ct);
        var ids = await GroupStore.UserIdsAsync(connection, [common.UserName(0), common.UserName(1)], ct);
        if (ids.Count != 2)
        {
            throw new InvalidOperationException($"users {common.UserName(0)} and {common.UserName(1)} must exist (seed with --seed)");
        }

        var filled = await FillAsync(connection, ids[common.UserName(0)], ids[common.UserName(1)], history.Messages, ct);
        await Console.Error.WriteLineAsync($"history: conversation holds {history.Messages:#,0} messages ({filled:#,0} added)");
    }

    /// <summary>Ensures the pair's IMRelationShip row and at least <paramref name="count"/> messages; returns how many were added.</summary>
    public static async Task<long> FillAsync(MySqlConnection connection, uint a, uint b, int count, CancellationToken ct)
    {
        var (small, big) = a < b ? (a, b) : (b, a);
        var now = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        uint relateId;
        await using (var find = new MySqlCommand("SELECT id FROM IMRelationShip WHERE smallId = @s AND bigId = @b ORDER BY id LIMIT 1", connection))
        {
            find.Parameters.AddWithValue("@s", small);
            find.Parameters.AddWithValue("@b", big);
            if (await find.ExecuteScalarAsync(ct) is { } id and not DBNull)
            {
                relateId = Convert.ToUInt32(id, CultureInfo.InvariantCulture);
            }
            else
            {
                await using var insert = new MySqlCommand("INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) VALUES (@s, @b, 0, @now, @now)", connection);
                insert.Parameters.AddWithValue("@s", small);
                insert.Parameters.AddWithValue("@b", big);
                insert.Parameters.AddWithValue("@now", now);
                await insert.ExecuteNonQueryAsync(ct);
                relateId = (uint)insert.LastInsertedId;
            }
        }

        var table = "IMMessage_" + (relateId % 8).ToString(CultureInfo.InvariantCulture);
        long have;
        uint maxId;
        await using (var stat = new MySqlCommand($"SELECT COUNT(*), COALESCE(MAX(msgId), 0) FROM {table} WHERE relateId = @r", connection))
        {
            stat.Parameters.AddWithValue("@r", relateId);
            await using var reader = await stat.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            have = reader.GetInt64(0);
            maxId = Convert.ToUInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        long added = 0;
        while (have + added < count)
        {
            var rows = (int)Math.Min(1000, count - have - added);
            var sql = new StringBuilder($"INSERT INTO {table} (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES ");
            await using var insert = new MySqlCommand { Connection = connection };
            insert.Parameters.AddWithValue("@r", relateId);
            insert.Parameters.AddWithValue("@now", now);
            for (var i = 0; i < rows; i++)
            {
                var msgId = maxId + (uint)added + (uint)i + 1;
                var fromSmall = msgId % 2 == 0;
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@r,@f{i},@t{i},@m{i},@c{i},1,0,@now,@now)");
                insert.Parameters.AddWithValue($"@f{i}", fromSmall ? small : big);
                insert.Parameters.AddWithValue($"@t{i}", fromSmall ? big : small);
                insert.Parameters.AddWithValue($"@m{i}", msgId);
                insert.Parameters.AddWithValue($"@c{i}", "history message " + msgId.ToString(CultureInfo.InvariantCulture));
            }

            insert.CommandText = sql.ToString();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            added += rows;
        }

        return added;
    }

    public IScenarioWorker CreateWorker(CommonOptions common) => new HistoryWorker(common, history);

    public async Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct)
    {
        context.Live.Phase($"history: {history.Readers} readers × {history.Depth} in flight for {history.Duration.TotalSeconds:0} s");
        context.Go();
        context.Servers.Start();
        var r = await context.MergedResultsAsync();
        var cpu = context.Servers.Stop();
        var seconds = history.Duration.TotalSeconds;
        var page = r.Histogram("page").Summarize();
        var report = new ScenarioReport { Scenario = Name, Label = context.Common.Label, Parameters = Parameters };
        report.Figures["pages_per_s"] = page.Count / seconds;
        report.Figures["messages_per_s"] = r.Counter("messages") / seconds;
        report.Figures["page_latency"] = page;
        report.Figures["failed"] = r.Counter("failed");
        report.Figures["server_cpu"] = cpu;
        report.Row("pages/s", $"{ScenarioReport.N(page.Count / seconds)} ({ScenarioReport.N(r.Counter("messages") / seconds)} messages/s, {r.Counter("failed")} failed or empty)");
        report.Latency("page latency", page);
        report.Row("server CPU", $"{cpu.Cores:0.00} cores");
        report.Notes.AddRange(r.Notes);
        return report;
    }
}
