using Orleans.Concurrency;
using TeamTalk.Orleans.Data.Admin;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Console;

/// <summary>Serves <see cref="IAdminConsoleGrain"/> from MySQL on every call. Stateless worker: local to the calling silo.</summary>
[StatelessWorker]
public sealed class AdminConsoleGrain(AdminAccountStore accounts, ConsoleStore lists) : Grain, IAdminConsoleGrain
{
    /// <summary>Longest accepted administrator name (<c>IMAdmin.uname</c> is <c>VARCHAR(40)</c>) and password.</summary>
    public const int MaxNameChars = 40;

    public const int MaxPasswordChars = 128;

    public async Task<AdminLoginResult> VerifyAdminAsync(string name, string password)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        if (name.Length == 0 || name.Length > MaxNameChars || password.Length > MaxPasswordChars)
        {
            return AdminLoginResult.Refused;
        }

        var account = await accounts.FindAsync(name);
        var matches = AdminPassword.Matches(password, account?.PasswordHash); // always hashes and compares: an unknown name takes as long
        return matches && account!.Status == 0 ? new AdminLoginResult(true, account.Id, account.Name) : AdminLoginResult.Refused;
    }

    public Task<ConsoleUserPage> SearchUsersAsync(string query, int skip, int take) => lists.SearchUsersAsync(query ?? string.Empty, skip, take);

    public Task<ConsoleGroupPage> SearchGroupsAsync(string query, int skip, int take) => lists.SearchGroupsAsync(query ?? string.Empty, skip, take);
}
