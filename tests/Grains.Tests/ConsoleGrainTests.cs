using System.Globalization;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// The grain side of the admin console: IMAdmin logins (the original's format, only status 0), department edits (no
/// loops, no duplicate names), discover items and the paged user search.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConsoleGrainTests(ClusterFixture cluster)
{
    private static int nextName;

    [Fact]
    public async Task An_admin_row_logs_in_with_its_password_only_while_active()
    {
        var name = Name("adm");
        var gone = Name("adm-gone");
        await cluster.Database.ScalarAsync(
            "INSERT INTO IMAdmin (uname, pwd, status, created, updated) VALUES (@a, '21232f297a57a5a743894a0e4a801fc3', 0, 0, 0), (@b, '21232f297a57a5a743894a0e4a801fc3', 1, 0, 0); SELECT 1;",
            ("@a", name), ("@b", gone));
        var console = cluster.Grains.GetGrain<IAdminConsoleGrain>(0);

        var ok = await console.VerifyAdminAsync(name, "admin");
        var wrong = await console.VerifyAdminAsync(name, "Admin");
        var otherCase = await console.VerifyAdminAsync(name.ToUpperInvariant(), "admin");
        var deleted = await console.VerifyAdminAsync(gone, "admin");
        var unknown = await console.VerifyAdminAsync(Name("nobody"), "admin");

        Assert.True(ok.Accepted);
        Assert.Equal(name, ok.Name);
        Assert.False(wrong.Accepted || otherCase.Accepted || deleted.Accepted || unknown.Accepted);
    }

    [Fact]
    public async Task A_department_is_renamed_and_moved_but_never_below_itself_nor_onto_a_taken_name()
    {
        var directory = cluster.Grains.GetGrain<IOrgDirectoryGrain>(0);
        var top = (await directory.CreateDepartmentAsync(new NewDepartment(Name("top"), 0, 1))).Id;
        var child = (await directory.CreateDepartmentAsync(new NewDepartment(Name("child"), top, 1))).Id;
        var sibling = Name("sibling");
        await directory.CreateDepartmentAsync(new NewDepartment(sibling, top, 1));
        var before = (await directory.GetDepartmentsChangedSinceAsync(0)).Departments.Single(d => d.DepartmentId == child).Updated;

        var renamed = Name("renamed");
        var rename = await directory.UpdateDepartmentAsync(child, new NewDepartment(renamed, top, 7));
        var loop = await directory.UpdateDepartmentAsync(top, new NewDepartment(Name("top"), child, 1));
        var self = await directory.UpdateDepartmentAsync(top, new NewDepartment(Name("top"), top, 1));
        var taken = await directory.UpdateDepartmentAsync(child, new NewDepartment(sibling, top, 1));
        var missing = await directory.UpdateDepartmentAsync(3_999_999, new NewDepartment(Name("x"), 0, 1));
        var noParent = await directory.UpdateDepartmentAsync(child, new NewDepartment(renamed, 3_999_999, 1));

        Assert.Equal(
            [AdminWriteStatus.Done, AdminWriteStatus.Invalid, AdminWriteStatus.Invalid, AdminWriteStatus.Duplicate, AdminWriteStatus.NotFound, AdminWriteStatus.Invalid],
            new[] { rename, loop, self, taken, missing, noParent }.Select(r => r.Status));
        var after = (await directory.GetDepartmentsChangedSinceAsync(0)).Departments.Single(d => d.DepartmentId == child);
        Assert.Equal((renamed, top, 7u), (after.Name, after.ParentId, after.Priority));
        Assert.True(after.Updated >= before);
        Assert.Equal(0u, (await directory.GetDepartmentsChangedSinceAsync(0)).Departments.Single(d => d.DepartmentId == top).ParentId);
    }

    [Fact]
    public async Task Discover_items_are_created_changed_and_deleted_as_status_1_and_the_shown_list_follows_at_once()
    {
        var items = cluster.Grains.GetGrain<IDiscoveryGrain>(0);
        var late = await items.CreateAsync(new DiscoverItemFields(Name("late"), "https://late.example/", 900_000, null));
        var early = await items.CreateAsync(new DiscoverItemFields(Name("early"), "https://early.example/", 899_999, null));
        var invalid = await items.CreateAsync(new DiscoverItemFields(" ", "https://x/", 1, null));

        var shown = (await items.GetShownItemsAsync()).Select(i => i.Id).ToArray();
        var updated = await items.UpdateAsync(late.Id, new DiscoverItemFields("Late", "https://late2.example/", 1, null));
        var deleted = await items.HideAsync(early.Id);
        var missing = await items.HideAsync(uint.MaxValue);

        Assert.Equal(AdminWriteStatus.Invalid, invalid.Status);
        Assert.Contains(late.Id, shown);
        Assert.Contains(early.Id, shown);
        Assert.Equal(AdminWriteStatus.Done, updated.Status);
        var changed = await items.GetItemAsync(late.Id);
        Assert.Equal(("Late", "https://late2.example/", 1u), (changed!.Name, changed.Url, changed.Priority));
        Assert.Equal((AdminWriteStatus.Done, AdminWriteStatus.NotFound), (deleted.Status, missing.Status));
        Assert.DoesNotContain(await items.GetShownItemsAsync(), i => i.Id == early.Id);
        Assert.Equal(1L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT status FROM IMDiscovery WHERE id = @i", ("@i", early.Id)), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_user_search_pages_and_takes_the_query_literally()
    {
        var users = await cluster.NewUsersAsync(3);
        var console = cluster.Grains.GetGrain<IAdminConsoleGrain>(0);
        var names = (await cluster.Grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync(users)).Select(u => u.Profile.RealName).ToArray();

        var exact = await console.SearchUsersAsync(names[1], 0, 10);
        var wildcard = await console.SearchUsersAsync("%", 0, 10);
        var all = await console.SearchUsersAsync(string.Empty, 0, 2);
        var next = await console.SearchUsersAsync(string.Empty, 2, 2);

        Assert.Contains(exact.Users, u => u.Id == users[1]);
        Assert.Equal(0, wildcard.Total);
        Assert.Equal(2, all.Users.Length);
        Assert.True(all.Total >= 3);
        Assert.DoesNotContain(next.Users, u => all.Users.Any(a => a.Id == u.Id));
    }

    private static string Name(string role) => string.Create(CultureInfo.InvariantCulture, $"{role}{Interlocked.Increment(ref nextName)}");
}
