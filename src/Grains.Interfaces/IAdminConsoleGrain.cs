using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// What the web console needs beyond the back-office API's grains: administrator logins against the original's
/// <c>IMAdmin</c> table and the paged, searchable lists of users and groups. Reads only; every change the console makes
/// goes through the grains that own the state. A stateless worker: use key 0.
/// </summary>
public interface IAdminConsoleGrain : IGrainWithIntegerKey
{
    /// <summary>Accepted when an <c>IMAdmin</c> row of status 0 is named exactly <paramref name="name"/> and its password matches (compared in constant time).</summary>
    [ReadOnly]
    Task<AdminLoginResult> VerifyAdminAsync(string name, string password);

    /// <summary>Users (any status) whose login name or nick contains <paramref name="query"/> (all when empty), by id, <paramref name="take"/> from <paramref name="skip"/>.</summary>
    [ReadOnly]
    Task<ConsoleUserPage> SearchUsersAsync(string query, int skip, int take);

    /// <summary>Groups not deleted whose name contains <paramref name="query"/> (all when empty), by id, <paramref name="take"/> from <paramref name="skip"/>.</summary>
    [ReadOnly]
    Task<ConsoleGroupPage> SearchGroupsAsync(string query, int skip, int take);
}
