using System.CommandLine;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TeamTalk.Orleans.Data.Seeding;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary><c>seed-demo --db CS</c>: department "Demo", users alice, bob, carol, dave, and their group "Demo group".</summary>
internal sealed class SeedDemoCommand : IAdminCommand
{
    public string Name => "seed-demo";

    public string Summary =>
        $"Ensures department '{DemoSeeder.DepartmentName}' and users {string.Join(", ", DemoSeeder.Users.Select(u => u.Name))} " +
        $"(password '{DemoSeeder.Password}'). Idempotent; run migrate first.";

    public IReadOnlyList<Option> Options => [AdminOptions.Db];

    public async Task<int> RunAsync(ParseResult args, AdminContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cs = args.GetValue(AdminOptions.Db)!;

        var seeder = new DemoSeeder(new UserSeeder(cs, context.LoggerFactory.CreateLogger<UserSeeder>()));
        try
        {
            var result = await seeder.SeedAsync(ct);
            await context.Out.WriteLineAsync($"seed-demo: department '{DemoSeeder.DepartmentName}' id {result.DepartmentId}");
            foreach (var (name, id) in result.UserIds)
            {
                await context.Out.WriteLineAsync($"seed-demo: user {name,-6} id {id,-6} password {DemoSeeder.Password}");
            }

            await context.Out.WriteLineAsync($"seed-demo: group '{DemoSeeder.GroupName}' id {result.GroupId} (all four users)");

            return AdminHost.ExitOk;
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"seed-demo: failed: {ex.Message}");
            return AdminHost.ExitFailed;
        }
    }
}
