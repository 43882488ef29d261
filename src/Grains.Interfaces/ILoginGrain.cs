using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per login name (what <c>IMLoginReq.user_name</c> carries, case-sensitive): checks credentials against the
/// original <c>IMUser</c> table and holds the persisted failure limiter (11 failures in 30 minutes block the name).
/// Obtain it with <see cref="GrainFactoryExtensions.GetLoginGrain"/>.
/// </summary>
public interface ILoginGrain : IGrainWithStringKey
{
    /// <summary>Checks the client's MD5 password hash; on success returns the user's profile.</summary>
    Task<LoginResult> LoginAsync(string passwordMd5);

    /// <summary>
    /// The back-office creates the user of this login name (its password salted as the PHP admin does). Creations of one
    /// name are serialised by this grain, so of two at once one succeeds and the other finds the name taken
    /// (<see cref="AdminWriteStatus.Duplicate"/>, any status counts). Invalid fields or department: nothing written.
    /// </summary>
    Task<AdminWriteResult> CreateUserAsync(NewUser user);
}
