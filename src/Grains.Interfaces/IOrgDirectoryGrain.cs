using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// The organisation directory: users (<c>IMUser</c>) and departments (<c>IMDepart</c>) read from MySQL on every
/// call. Incremental syncs filter on the rows' real <c>updated</c> columns, with no watermark of its own, so edits
/// made directly in MySQL or by the PHP admin are seen (behaviour.md defect 24). A stateless worker: any silo serves
/// it locally; use key 0.
/// </summary>
public interface IOrgDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The users among <paramref name="userIds"/> that exist (any status), ordered by id; unknown ids are left out.</summary>
    [ReadOnly]
    Task<DirectoryUser[]> GetUsersAsync(uint[] userIds);

    /// <summary>
    /// Users changed since <paramref name="since"/> (behaviour.md 3.6.4): with 0 every user who has not left
    /// (<c>status != 3</c>); otherwise every user, of any status, whose <c>updated &gt;= since</c>, so clients learn
    /// about departures and no change made in the same second as the last answer is missed.
    /// </summary>
    [ReadOnly]
    Task<UserChanges> GetUsersChangedSinceAsync(uint since);

    /// <summary>
    /// Departments with <c>updated &gt; since</c> and a status of 0 or 1 (behaviour.md 3.6.7). The time returned is
    /// the greatest <c>updated</c> among them but at most the database's current second minus one, so a department
    /// changed later within that same second is sent again next time instead of being missed.
    /// </summary>
    [ReadOnly]
    Task<DepartmentChanges> GetDepartmentsChangedSinceAsync(uint since);

    /// <summary>True when an <c>IMUser</c> row with this id exists (any status).</summary>
    [ReadOnly]
    Task<bool> UserExistsAsync(uint userId);

    /// <summary>
    /// The back-office creates a department (<c>IMDepart</c>, status 0, <c>updated</c> now so the next department sync
    /// carries it). A parent other than 0 must be a department; a name already used under the same parent is
    /// <see cref="AdminWriteStatus.Duplicate"/>.
    /// </summary>
    Task<AdminWriteResult> CreateDepartmentAsync(NewDepartment department);

    /// <summary>
    /// The back-office changes a department's name, parent and priority (<c>updated</c> now so the next department sync
    /// carries it). The parent must be 0 or another department that is not below this one; the name must not be used by
    /// another department under the same parent (<see cref="AdminWriteStatus.Duplicate"/>).
    /// </summary>
    Task<AdminWriteResult> UpdateDepartmentAsync(uint departmentId, NewDepartment department);
}
