using System.CommandLine;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.Data;
using TeamTalk.Orleans.Data.Admin;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>
/// <c>set-admin --db CS --name N --password-file F</c>: creates the console administrator N (an <c>IMAdmin</c> row, the
/// original PHP admin's password format) or sets its password, from the first line of F (so the password is never on a
/// command line). run.sh seeds one this way.
/// </summary>
internal sealed class SetAdminCommand : IAdminCommand
{
    private readonly Option<string> nameOption = CliOptions.Text("--name", "admin", "administrator name (IMAdmin.uname)");
    private readonly Option<string> passwordFileOption = CliOptions.RequiredText("--password-file", "file whose first line is the password");

    public string Name => "set-admin";

    public string Summary => "Creates a web-console administrator (IMAdmin) or sets its password from --password-file.";

    public IReadOnlyList<Option> Options => [AdminOptions.Db, nameOption, passwordFileOption];

    public async Task<int> RunAsync(ParseResult args, AdminContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var name = args.GetValue(nameOption)!;
        var file = args.GetValue(passwordFileOption)!;
        string password;
        try
        {
            password = (await File.ReadAllLinesAsync(file, ct)).FirstOrDefault()?.Trim() ?? string.Empty;
        }
        catch (IOException ex)
        {
            await context.Error.WriteLineAsync($"set-admin: cannot read {file}: {ex.Message}");
            return AdminHost.ExitFailed;
        }

        if (password.Length == 0 || name.Length is 0 or > 40)
        {
            await context.Error.WriteLineAsync(password.Length == 0 ? $"set-admin: {file} holds no password" : "set-admin: --name must be 1 to 40 characters");
            return AdminHost.ExitFailed;
        }

        try
        {
            await using var source = new MySqlDataSource(args.GetValue(AdminOptions.Db)!);
            var (id, created) = await new AdminAccountStore(new Database(source, TimeProvider.System)).SetAsync(name, password, ct);
            await context.Out.WriteLineAsync($"set-admin: administrator '{name}' id {id} {(created ? "created" : "password set")}");
            return AdminHost.ExitOk;
        }
        catch (MySqlException ex)
        {
            await context.Error.WriteLineAsync($"set-admin: failed: {ex.Message}");
            return AdminHost.ExitFailed;
        }
    }
}
