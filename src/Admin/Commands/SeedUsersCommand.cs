using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TeamTalk.Orleans.Data.Seeding;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary><c>seed-users --db CS --count N --prefix lg --password P</c>: load-test users prefix1..prefixN.</summary>
internal sealed class SeedUsersCommand : IAdminCommand
{
    public string Name => "seed-users";

    public string Usage =>
        "seed-users --db <connectionString> --count <N> [--prefix lg] [--password <P>] [--start 1] [--department 'Load test']";

    public string Summary =>
        "Ensures users <prefix><start>..<prefix><start+N-1> (nick = name) with the given password (default 'teamtalk') " +
        "in the given department (created if missing). Idempotent; 20,000 users take a few seconds.";

    public async Task<int> RunAsync(CommandArgs args, AdminContext context, CancellationToken ct)
    {
        var cs = args.Required("db");
        var count = args.Int("count", min: 1, max: 1_000_000);
        var prefix = args.Optional("prefix") ?? "lg";
        var password = args.Optional("password") ?? DemoSeeder.Password;
        var start = args.Int("start", 1, min: 0);
        var department = args.Optional("department") ?? "Load test";
        args.RejectUnknown();

        var lastName = prefix + (start + (long)count - 1).ToString(CultureInfo.InvariantCulture);
        if (prefix.Length == 0 || lastName.Length > 32)
        {
            throw new UsageException($"user names '{prefix}{start}'..'{lastName}' must have 1..32 characters");
        }

        var users = Enumerable.Range(start, count)
            .Select(i => prefix + i.ToString(CultureInfo.InvariantCulture))
            .Select(name => new SeedUser(name, password, name, Domain: name))
            .ToList();

        var seeder = new UserSeeder(cs, context.LoggerFactory.CreateLogger<UserSeeder>());
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var departId = await seeder.EnsureDepartmentAsync(department, ct: ct);
            var ids = await seeder.EnsureUsersAsync(users, (uint)departId, ct);
            await context.Out.WriteLineAsync(
                $"seed-users: {ids.Length} users {users[0].Name}..{users[^1].Name} (ids {ids.Min()}..{ids.Max()}) " +
                $"in department '{department}' (id {departId}) in {stopwatch.Elapsed.TotalSeconds:0.00} s");
            return AdminHost.ExitOk;
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"seed-users: failed: {ex.Message}");
            return AdminHost.ExitFailed;
        }
    }
}
