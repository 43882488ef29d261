using System.CommandLine;
using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary><c>migrate --db CS</c>: creates/updates the schema (SchemaMigrator).</summary>
internal sealed class MigrateCommand : IAdminCommand
{
    public string Name => "migrate";

    public string Summary =>
        "Creates the database if missing and applies sql/ (Orleans tables and queries, the TeamTalk tables, our additions). " +
        "Safe to repeat and to run on an existing TeamTalk database.";

    public IReadOnlyList<Option> Options => [AdminOptions.Db];

    public async Task<int> RunAsync(ParseResult args, AdminContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cs = args.GetValue(AdminOptions.Db)!;

        var migrator = new SchemaMigrator(context.LoggerFactory.CreateLogger<SchemaMigrator>());
        try
        {
            var report = await migrator.ApplyAsync(cs, ct);
            await context.Out.WriteLineAsync(
                $"migrate: ok in {report.Elapsed.TotalSeconds:0.00} s" +
                (report.DatabaseCreated ? " (database created)" : string.Empty) +
                $"; scripts recorded: {report.ScriptsRecorded.Count}, unchanged: {report.ScriptsUnchanged.Count}" +
                $"; unique keys added: {report.UniqueKeysAdded.Count}, skipped: {report.UniqueKeysSkipped.Count}");
            foreach (var (table, pairs) in report.UniqueKeysSkipped)
            {
                await context.Out.WriteLineAsync($"migrate: warning: {table}: unique key not added ({pairs} duplicate id pairs)");
            }

            foreach (var (table, columns) in report.MissingColumns)
            {
                await context.Out.WriteLineAsync($"migrate: warning: {table} lacks columns {string.Join(", ", columns)}");
            }

            return AdminHost.ExitOk;
        }
        catch (SchemaMigrationException ex)
        {
            await context.Error.WriteLineAsync($"migrate: failed: {ex.Message}");
            return AdminHost.ExitFailed;
        }
    }
}
