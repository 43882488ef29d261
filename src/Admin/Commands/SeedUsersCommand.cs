using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.Data.Seeding;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary><c>seed-users --db CS --count N --prefix lg --password P</c>: load-test users prefix1..prefixN.</summary>
internal sealed class SeedUsersCommand : IAdminCommand
{
    public string Name => "seed-users";

    private readonly Option<int> countOption = CliOptions.RequiredCount("--count", 1, 1_000_000, "users to ensure");
    private readonly Option<string> prefixOption = CliOptions.Text("--prefix", "lg", "user name prefix");
    private readonly Option<string> passwordOption = CliOptions.Text("--password", DemoSeeder.Password, "plain password of every user");
    private readonly Option<int> startOption = CliOptions.Count("--start", 1, 0, int.MaxValue, "number of the first user");
    private readonly Option<string> departmentOption = CliOptions.Text("--department", "Load test", "department of the users (created if missing)");

    public string Summary =>
        "Ensures users <prefix><start>..<prefix><start+N-1> (nick = name) with the given password (default 'teamtalk') " +
        "in the given department (created if missing). Idempotent; 20,000 users take a few seconds.";

    public IReadOnlyList<Option> Options => [AdminOptions.Db, countOption, prefixOption, passwordOption, startOption, departmentOption];

    public async Task<int> RunAsync(ParseResult args, AdminContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cs = args.GetValue(AdminOptions.Db)!;
        var count = args.GetValue(countOption);
        var prefix = args.GetValue(prefixOption)!;
        var password = args.GetValue(passwordOption)!;
        var start = args.GetValue(startOption);
        var department = args.GetValue(departmentOption)!;

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
