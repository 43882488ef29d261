using System.Globalization;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Login;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// The Login grain keeps its name's <c>IMUser</c> row: a repeat login reads nothing (an out-of-band SQL change the
/// grain cannot know of proves it), every change made through the server is seen by the next login at once, a refused
/// login reads the row again, and the failure limiter counts as before.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LoginCacheTests(ClusterFixture cluster)
{
    private static int nextName;

    [Fact]
    public async Task A_repeat_login_reads_no_row_and_a_password_replaced_outside_the_server_works_at_once()
    {
        var (name, id, login) = await LoggedInUserAsync("first");

        // Written in SQL, not through the server: a login that read the row would refuse the old password.
        var salt = TeamTalkPassword.NewSalt();
        await cluster.Database.ScalarAsync(
            "UPDATE IMUser SET password = @p, salt = @s, nick = 'outside' WHERE id = @id",
            ("@p", TeamTalkPassword.HashForStorage(TeamTalkPassword.ClientHash("second"), salt)), ("@s", salt), ("@id", id));
        var cached = await login.LoginAsync(TeamTalkPassword.ClientHash("first"));
        Assert.Equal((LoginOutcome.Success, name), (cached.Outcome, cached.Profile!.NickName));

        // The cached row refuses the new password, so the row is read again and decides.
        var fresh = await login.LoginAsync(TeamTalkPassword.ClientHash("second"));
        Assert.Equal((LoginOutcome.Success, "outside"), (fresh.Outcome, fresh.Profile!.NickName));
        Assert.Equal(LoginOutcome.WrongCredentials, (await login.LoginAsync(TeamTalkPassword.ClientHash("first"))).Outcome);
    }

    [Fact]
    public async Task A_password_change_through_the_server_is_seen_by_the_next_login()
    {
        var (_, id, login) = await LoggedInUserAsync("old");

        var changed = await cluster.Grains.GetGrain<IUserProfileGrain>(id).UpdateAsync(Change(password: "new"));

        Assert.Equal(AdminWriteStatus.Done, changed.Status);
        Assert.Equal(LoginOutcome.WrongCredentials, (await login.LoginAsync(TeamTalkPassword.ClientHash("old"))).Outcome);
        Assert.Equal(LoginOutcome.Success, (await login.LoginAsync(TeamTalkPassword.ClientHash("new"))).Outcome);
    }

    [Fact]
    public async Task A_user_disabled_through_the_server_is_refused_at_the_next_login()
    {
        var (_, id, login) = await LoggedInUserAsync("pw");

        Assert.Equal(AdminWriteStatus.Done, (await cluster.Grains.GetGrain<IUserProfileGrain>(id).UpdateAsync(UserUpdate.Leave)).Status);

        Assert.Equal(LoginOutcome.WrongCredentials, (await login.LoginAsync(TeamTalkPassword.ClientHash("pw"))).Outcome);
    }

    [Fact]
    public async Task A_rename_through_the_server_refuses_the_old_name_and_logs_in_the_new_one_at_once()
    {
        var (name, id) = await NewUserAsync("pw");
        var renamed = name + "-renamed";
        Assert.Equal(LoginOutcome.Success, (await cluster.Grains.GetLoginGrain(name).LoginAsync(TeamTalkPassword.ClientHash("pw"))).Outcome);

        Assert.Equal(AdminWriteStatus.Done, (await cluster.Grains.GetGrain<IUserProfileGrain>(id).UpdateAsync(Change(name: renamed))).Status);

        Assert.Equal(LoginOutcome.WrongCredentials, (await cluster.Grains.GetLoginGrain(name).LoginAsync(TeamTalkPassword.ClientHash("pw"))).Outcome);
        var result = await cluster.Grains.GetLoginGrain(renamed).LoginAsync(TeamTalkPassword.ClientHash("pw"));
        Assert.Equal((LoginOutcome.Success, id, renamed), (result.Outcome, result.Profile!.UserId, result.Profile.RealName));
    }

    [Fact]
    public async Task Profile_changes_through_the_server_are_in_the_next_login_reply()
    {
        var (_, id, login) = await LoggedInUserAsync("pw");
        var profiles = cluster.Grains.GetGrain<IUserProfileGrain>(id);

        Assert.True(await profiles.ChangeSignInfoAsync("signed"));
        Assert.Equal("signed", (await login.LoginAsync(TeamTalkPassword.ClientHash("pw"))).Profile!.SignInfo);
        Assert.True(await profiles.ChangeAvatarAsync("http://example.org/a.png"));
        Assert.Equal("http://example.org/a.png", (await login.LoginAsync(TeamTalkPassword.ClientHash("pw"))).Profile!.AvatarUrl);
        Assert.Equal(AdminWriteStatus.Done, (await profiles.UpdateAsync(new UserUpdate(null, null, "Nick2", null, null, null, null, null, null, null))).Status);
        Assert.Equal("Nick2", (await login.LoginAsync(TeamTalkPassword.ClientHash("pw"))).Profile!.NickName);
    }

    [Fact]
    public async Task The_limiter_counts_failures_while_the_row_is_kept_and_blocks_the_right_password()
    {
        var (_, _, login) = await LoggedInUserAsync("right");

        var wrong = new List<LoginOutcome>();
        for (var i = 0; i < new LoginLimiterOptions().MaxFailures + 1; i++)
        {
            wrong.Add((await login.LoginAsync(TeamTalkPassword.ClientHash("wrong"))).Outcome);
        }

        Assert.All(wrong, outcome => Assert.Equal(LoginOutcome.WrongCredentials, outcome));
        Assert.Equal(LoginOutcome.TooManyFailures, (await login.LoginAsync(TeamTalkPassword.ClientHash("right"))).Outcome);
    }

    [Fact]
    public async Task The_limiter_survives_a_new_activation_and_lets_the_name_in_once_the_window_passed()
    {
        var (name, _, login) = await LoggedInUserAsync("right");
        var limit = new LoginLimiterOptions();
        for (var i = 0; i < limit.MaxFailures + 1; i++)
        {
            Assert.Equal(LoginOutcome.WrongCredentials, (await login.LoginAsync(TeamTalkPassword.ClientHash("wrong"))).Outcome);
        }

        await cluster.DeactivateAsync(login);

        // The new activation's first attempt reads the failures back with the row.
        Assert.Equal(LoginOutcome.TooManyFailures, (await login.LoginAsync(TeamTalkPassword.ClientHash("right"))).Outcome);
        Assert.Equal(limit.MaxFailures + 1L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT COUNT(*) FROM TeamTalkLoginFailure WHERE name = @n", ("@n", name)), CultureInfo.InvariantCulture));

        await cluster.AdvanceAsync(limit.Window);

        Assert.Equal(LoginOutcome.Success, (await login.LoginAsync(TeamTalkPassword.ClientHash("right"))).Outcome);
        Assert.Equal(0L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT COUNT(*) FROM TeamTalkLoginFailure WHERE name = @n", ("@n", name)), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_success_clears_the_stored_failures_so_a_new_activation_starts_from_none()
    {
        var (name, _, login) = await LoggedInUserAsync("right");
        Assert.Equal(LoginOutcome.WrongCredentials, (await login.LoginAsync(TeamTalkPassword.ClientHash("wrong"))).Outcome);
        Assert.Equal(1L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT COUNT(*) FROM TeamTalkLoginFailure WHERE name = @n", ("@n", name)), CultureInfo.InvariantCulture));

        Assert.Equal(LoginOutcome.Success, (await login.LoginAsync(TeamTalkPassword.ClientHash("right"))).Outcome);

        Assert.Equal(0L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT COUNT(*) FROM TeamTalkLoginFailure WHERE name = @n", ("@n", name)), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_change_made_outside_the_server_is_seen_once_the_kept_row_is_older_than_the_cache_time()
    {
        var (_, id, login) = await LoggedInUserAsync("pw");
        await cluster.Database.ScalarAsync("UPDATE IMUser SET status = 3 WHERE id = @id", ("@id", id));
        Assert.Equal(LoginOutcome.Success, (await login.LoginAsync(TeamTalkPassword.ClientHash("pw"))).Outcome);

        await cluster.AdvanceAsync(new LoginLimiterOptions().UserCacheTime);

        Assert.Equal(LoginOutcome.WrongCredentials, (await login.LoginAsync(TeamTalkPassword.ClientHash("pw"))).Outcome);
    }

    private static UserUpdate Change(string? name = null, string? password = null) =>
        new(name, password, null, null, null, null, null, null, null, null);

    /// <summary>A new user who has logged in once with <paramref name="password"/>: their Login grain keeps the row.</summary>
    private async Task<(string Name, uint Id, ILoginGrain Login)> LoggedInUserAsync(string password)
    {
        var (name, id) = await NewUserAsync(password);
        var login = cluster.Grains.GetLoginGrain(name);
        Assert.Equal(LoginOutcome.Success, (await login.LoginAsync(TeamTalkPassword.ClientHash(password))).Outcome);
        return (name, id, login);
    }

    /// <summary>A user created as the back-office creates one (nick = name), in a department of its own.</summary>
    private async Task<(string Name, uint Id)> NewUserAsync(string password)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"lc{Interlocked.Increment(ref nextName)}x{Guid.NewGuid():N}")[..16];
        var department = Convert.ToUInt32(
            await cluster.Database.ScalarAsync(
                "INSERT INTO IMDepart (departName, priority, parentId, status, created, updated) VALUES (@n, 0, 0, 0, 0, 0); SELECT LAST_INSERT_ID();",
                ("@n", name)),
            CultureInfo.InvariantCulture);
        var created = await cluster.Grains.GetLoginGrain(name).CreateUserAsync(new NewUser(name, password, name, department, 0, string.Empty, string.Empty, string.Empty, string.Empty));
        Assert.Equal(AdminWriteStatus.Done, created.Status);
        return (name, created.Id);
    }
}
