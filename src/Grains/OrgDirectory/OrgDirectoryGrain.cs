using Orleans.Concurrency;
using TeamTalk.Orleans.Data.Admin;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.OrgDirectory;

/// <summary>
/// Serves the organisation directory from MySQL on every call (see <see cref="IOrgDirectoryGrain"/>). Stateless
/// worker: activations are local to the calling silo. The only thing kept is a bounded set of user ids known to
/// exist, for <see cref="UserExistsAsync"/>: users are never deleted (the admin marks them left), so a positive answer
/// stays true; a negative one is never cached, so a user created a moment ago is found.
/// </summary>
[StatelessWorker]
public sealed class OrgDirectoryGrain(DirectoryStore store, UserStore users, UserAdminStore admin) : Grain, IOrgDirectoryGrain
{
    private const int MaxKnownIds = 65_536;

    private readonly HashSet<uint> known = [];

    public async Task<DirectoryUser[]> GetUsersAsync(uint[] userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var users = await store.GetUsersAsync([.. userIds.Distinct()]);
        return [.. users];
    }

    public async Task<UserChanges> GetUsersChangedSinceAsync(uint since)
    {
        var users = await store.GetUsersChangedSinceAsync(since);
        return new UserChanges(SyncWatermark.ForUsers(since, users.Select(u => u.Updated)), [.. users]);
    }

    public async Task<DepartmentChanges> GetDepartmentsChangedSinceAsync(uint since)
    {
        var (departments, now) = await store.GetDepartmentsChangedSinceAsync(since);
        return new DepartmentChanges(SyncWatermark.ForDepartments(since, departments.Select(d => d.Updated), now), [.. departments]);
    }

    public async Task<bool> UserExistsAsync(uint userId)
    {
        if (userId == 0)
        {
            return false;
        }

        if (known.Contains(userId))
        {
            return true;
        }

        if ((await users.ExistingAsync([userId])).Count == 0)
        {
            return false;
        }

        if (known.Count >= MaxKnownIds)
        {
            known.Clear();
        }

        known.Add(userId);
        return true;
    }

    public async Task<AdminWriteResult> CreateDepartmentAsync(NewDepartment department)
    {
        ArgumentNullException.ThrowIfNull(department);
        if (department.Name.Trim().Length == 0 || UserFields.Length(department.Name) > NewDepartment.MaxNameChars)
        {
            return AdminWriteResult.Invalid($"name: must be 1 to {NewDepartment.MaxNameChars} characters");
        }

        if (department.ParentId != 0 && !await admin.DepartmentExistsAsync(department.ParentId))
        {
            return AdminWriteResult.Invalid("parentId: no such department");
        }

        return await admin.DepartmentNameTakenAsync(department.Name, department.ParentId)
            ? AdminWriteResult.Duplicate
            : AdminWriteResult.Done(await admin.InsertDepartmentAsync(department));
    }

    public async Task<AdminWriteResult> UpdateDepartmentAsync(uint departmentId, NewDepartment department)
    {
        ArgumentNullException.ThrowIfNull(department);
        if (department.Name.Trim().Length == 0 || UserFields.Length(department.Name) > NewDepartment.MaxNameChars)
        {
            return AdminWriteResult.Invalid($"name: must be 1 to {NewDepartment.MaxNameChars} characters");
        }

        var (all, _) = await store.GetDepartmentsChangedSinceAsync(0);
        var parents = all.Where(d => d.Status == 0).ToDictionary(d => d.DepartmentId, d => d.ParentId);
        if (!parents.ContainsKey(departmentId))
        {
            return AdminWriteResult.NotFound;
        }

        if (department.ParentId != 0 && !parents.ContainsKey(department.ParentId))
        {
            return AdminWriteResult.Invalid("parentId: no such department");
        }

        // The new parent must not be the department itself or one below it (bounded walk: a loop already in the table ends it too).
        var steps = 0;
        for (var id = department.ParentId; id != 0 && steps <= parents.Count; id = parents.GetValueOrDefault(id), steps++)
        {
            if (id == departmentId)
            {
                return AdminWriteResult.Invalid("parentId: the department itself or one below it");
            }
        }

        if (await admin.DepartmentNameTakenAsync(department.Name, department.ParentId, departmentId))
        {
            return AdminWriteResult.Duplicate;
        }

        return await admin.UpdateDepartmentAsync(departmentId, department) ? AdminWriteResult.Done(departmentId) : AdminWriteResult.NotFound;
    }
}
