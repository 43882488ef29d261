using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per login name (what <c>IMLoginReq.user_name</c> carries, case-sensitive): checks credentials against the
/// original <c>IMUser</c> table and holds the persisted failure limiter (11 failures in 30 minutes block the name). It keeps
/// the row it read for a while (<c>TeamTalk:Login:UserCacheTime</c>), so a repeat login reads nothing from MySQL.
/// Obtain it with <see cref="GrainFactoryExtensions.GetLoginGrain"/>.
/// </summary>
public interface ILoginGrain : IGrainWithStringKey
{
    /// <summary>Checks the client's MD5 password hash; on success returns the user's profile.</summary>
    Task<LoginResult> LoginAsync(string passwordMd5);

    /// <summary>
    /// A user row that has or had this login name changed (password, status, profile fields, a rename to or from the
    /// name): the grain drops the row it keeps, so the next login reads it again. Called by the writer after the write
    /// committed; it runs after any login already in progress, so no login after it returns serves the old row.
    /// </summary>
    Task ForgetUserAsync();

    /// <summary>
    /// The back-office creates the user of this login name (its password salted as the PHP admin does). Creations of one
    /// name are serialised by this grain, so of two at once one succeeds and the other finds the name taken
    /// (<see cref="AdminWriteStatus.Duplicate"/>, any status counts). Invalid fields or department: nothing written.
    /// </summary>
    Task<AdminWriteResult> CreateUserAsync(NewUser user);
}
