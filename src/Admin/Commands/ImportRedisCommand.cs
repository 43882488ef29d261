using System.CommandLine;
using MySqlConnector;
using StackExchange.Redis;
using TeamTalk.Orleans.Admin.Import;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.Data;
using TeamTalk.Orleans.Data.Import;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>
/// <c>import-redis --db CS --redis HOST:PORT [--redis-db N] [--force]</c>: reads the state an original TeamTalk
/// deployment kept only in Redis (unread counters, group read counters, group membership with join times, group mute
/// flags, push tokens) into our tables, once and idempotently, and reports what it changed and where our tables
/// disagreed with Redis. Refuses while a silo of a cluster on the database is alive (grains would not see the rows and
/// could overwrite them) unless <c>--force</c>.
/// </summary>
internal sealed class ImportRedisCommand : IAdminCommand
{
    private const int MaxLinesPerList = 200;

    private readonly Option<string> redisOption = CliOptions.RequiredText("--redis", "HOST:PORT of the original deployment's Redis");
    private readonly Option<int> redisDbOption = CliOptions.Count("--redis-db", 1, 0, 1024, "Redis database number (the original's default configuration uses 1)");
    private readonly Option<bool> forceOption = CliOptions.Flag("--force", "import even though the membership table shows live silos");

    public string Name => "import-redis";

    public string Summary =>
        "Imports an original TeamTalk deployment's Redis state (unread counts, group read counts, group membership and join " +
        "times, group mute flags, push tokens) into our tables and reports what changed and what disagreed. Idempotent; " +
        "run migrate first and stop the cluster (or pass --force).";

    public IReadOnlyList<Option> Options => [AdminOptions.Db, redisOption, redisDbOption, forceOption];

    public async Task<int> RunAsync(ParseResult args, AdminContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cs = new MySqlConnectionStringBuilder(args.GetValue(AdminOptions.Db)!) { TreatTinyAsBoolean = false }.ConnectionString;
        var address = args.GetValue(redisOption)!;
        var redisDb = args.GetValue(redisDbOption);
        var force = args.GetValue(forceOption);

        await using var dataSource = new MySqlDataSource(cs);
        var importer = new RedisImporter(new Database(dataSource, TimeProvider.System), TimeProvider.System);
        try
        {
            var live = await importer.LiveSilosAsync(ct);
            if (live.Count > 0)
            {
                foreach (var silo in live)
                {
                    await context.Out.WriteLineAsync($"import-redis: live: {silo}");
                }

                if (!force)
                {
                    await context.Error.WriteLineAsync(
                        $"import-redis: refused: the cluster is up ({live.Count} live silos in the membership table). Stop every silo " +
                        "and gateway first; --force imports anyway (grains that are active keep what they loaded).");
                    return AdminHost.ExitFailed;
                }
            }

            RedisSnapshot snapshot;
            await using (var redis = await ConnectAsync(address))
            {
                snapshot = await new RedisStateReader(redis, redisDb).ReadAsync();
            }

            if (snapshot.IsEmpty)
            {
                await context.Error.WriteLineAsync(
                    $"import-redis: no TeamTalk keys in database {redisDb} of {address} (the original's default is 1; see --redis-db): nothing imported");
                return AdminHost.ExitFailed;
            }

            await context.Out.WriteLineAsync(
                $"import-redis: read {address} db {redisDb}: {snapshot.Members.Count} groups' members, {snapshot.Unread.Count} unread counters, " +
                $"{snapshot.GroupReads.Count} group read counters, {snapshot.Tokens.Count} tokens, {snapshot.Shields.Count} group mute flags");
            var report = await importer.ImportAsync(snapshot, ct);
            await PrintAsync(report, context.Out);
            return AdminHost.ExitOk;
        }
        catch (RedisException ex)
        {
            await context.Error.WriteLineAsync($"import-redis: failed: Redis {address}: {ex.Message}");
            return AdminHost.ExitFailed;
        }
        catch (MySqlException ex)
        {
            await context.Error.WriteLineAsync($"import-redis: failed: MySQL: {ex.Message} (run migrate first)");
            return AdminHost.ExitFailed;
        }
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(string address)
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            AsyncTimeout = 30000,
            SyncTimeout = 30000,
        };
        options.EndPoints.Add(address);
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    private static async Task PrintAsync(RedisImportReport report, TextWriter output)
    {
        foreach (var (kind, (changed, unchanged, skipped)) in report.Counts)
        {
            await output.WriteLineAsync($"import-redis: {kind}: {changed} changed, {unchanged} unchanged, {skipped} skipped");
        }

        await PrintListAsync(output, "disagreed", report.Disagreements);
        await PrintListAsync(output, "skipped", report.Skips);
        await output.WriteLineAsync(
            $"import-redis: {report.Changes} changes, {report.Disagreements.Count} disagreements with our tables (Redis followed)");
    }

    private static async Task PrintListAsync(TextWriter output, string label, IReadOnlyList<string> lines)
    {
        foreach (var line in lines.Take(MaxLinesPerList))
        {
            await output.WriteLineAsync($"import-redis: {label}: {line}");
        }

        if (lines.Count > MaxLinesPerList)
        {
            await output.WriteLineAsync($"import-redis: {label}: … and {lines.Count - MaxLinesPerList} more");
        }
    }
}
