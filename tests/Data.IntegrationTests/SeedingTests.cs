using System.Diagnostics;
using System.Globalization;
using TeamTalk.Orleans.Data.Schema;
using TeamTalk.Orleans.Data.Seeding;
using TeamTalk.Orleans.Data.Users;
using Xunit.Abstractions;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>Migrates one database for the class; seeding tests share it.</summary>
public sealed class MigratedDatabaseFixture : IAsyncLifetime
{
    private readonly DatabaseFixture _inner = new();

    public string ConnectionString => _inner.ConnectionString;

    public async Task InitializeAsync()
    {
        await _inner.InitializeAsync();
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(ConnectionString, CancellationToken.None);
    }

    public Task DisposeAsync() => _inner.DisposeAsync();
}

public sealed class SeedingTests(MigratedDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<MigratedDatabaseFixture>
{
    private UserSeeder NewSeeder() => new(fixture.ConnectionString, new ListLogger<UserSeeder>());

    [Fact]
    public async Task Password_scheme_matches_md5_of_client_md5_plus_salt_as_computed_by_the_database()
    {
        foreach (var salt in new[] { "0", "7", "1234", "9999" })
        {
            var expected = (string?)await Db.ScalarAsync(fixture.ConnectionString, "SELECT MD5(CONCAT(MD5('teamtalk'), @salt))", ("@salt", salt));
            Assert.Equal(expected, TeamTalkPassword.HashForStorage(TeamTalkPassword.ClientHash("teamtalk"), salt));
            Assert.True(TeamTalkPassword.Verify(TeamTalkPassword.ClientHash("teamtalk"), salt, expected!));
            Assert.False(TeamTalkPassword.Verify(TeamTalkPassword.ClientHash("Teamtalk"), salt, expected!));
            Assert.False(TeamTalkPassword.Verify(TeamTalkPassword.ClientHash("teamtalk"), salt, expected!.ToUpperInvariant()));
        }

        Assert.Matches("^[0-9a-f]{32}$", TeamTalkPassword.ClientHash("x"));
        Assert.Equal(await Db.ScalarAsync(fixture.ConnectionString, "SELECT MD5('teamtalk')"), TeamTalkPassword.ClientHash("teamtalk"));
        for (var i = 0; i < 200; i++)
        {
            var salt = TeamTalkPassword.NewSalt();
            Assert.InRange(int.Parse(salt, CultureInfo.InvariantCulture), 0, 9999);
            Assert.Equal(int.Parse(salt, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), salt);
        }
    }

    [Fact]
    public async Task Demo_seed_is_idempotent_and_passwords_verify_in_sql()
    {
        var first = await new DemoSeeder(NewSeeder()).SeedAsync(CancellationToken.None);
        var second = await new DemoSeeder(NewSeeder()).SeedAsync(CancellationToken.None);

        Assert.Equal(first.DepartmentId, second.DepartmentId);
        Assert.Equal(first.UserIds, second.UserIds);
        Assert.Equal(["alice", "bob", "carol", "dave"], first.UserIds.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(1L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMDepart WHERE departName = 'Demo'"));
        Assert.Equal(first.GroupId, second.GroupId);
        Assert.Equal($"1|{first.UserIds["alice"]}|4|1", await Db.StringAsync(fixture.ConnectionString,
            $"SELECT CONCAT_WS('|', type, creator, userCnt, version) FROM IMGroup WHERE name = 'Demo group' AND id = {first.GroupId}"));
        Assert.Equal(string.Join(",", first.UserIds.Values.Order()), await Db.StringAsync(fixture.ConnectionString,
            $"SELECT GROUP_CONCAT(userId ORDER BY userId) FROM IMGroupMember WHERE groupId = {first.GroupId} AND status = 0"));
        var rows = await Db.RowsAsync(fixture.ConnectionString, """
            SELECT name, nick, status, departId = @d, password = MD5(CONCAT(MD5('teamtalk'), salt)), sex > 0, created > 0, updated > 0
            FROM IMUser WHERE name IN ('alice', 'bob', 'carol', 'dave') ORDER BY name
            """, ("@d", first.DepartmentId));
        Assert.Equal(
            ["alice|Alice|0|1|1|1|1|1", "bob|Bob|0|1|1|1|1|1", "carol|Carol|0|1|1|1|1|1", "dave|Dave|0|1|1|1|1|1"],
            rows.Select(r => r.Replace("True", "1", StringComparison.Ordinal).Replace("False", "0", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Existing_user_keeps_its_fields_but_gets_the_given_password_back()
    {
        var seeder = NewSeeder();
        var departId = (uint)await seeder.EnsureDepartmentAsync("Reset test", ct: CancellationToken.None);
        var ids = await seeder.EnsureUsersAsync([new SeedUser("erin", "first", "Erin")], departId, CancellationToken.None);
        await Db.ExecAsync(fixture.ConnectionString, $"UPDATE IMUser SET nick = 'Changed', password = 'x', sign_info = 'kept' WHERE id = {ids[0]}");

        var again = await seeder.EnsureUsersAsync([new SeedUser("erin", "second", "Erin")], departId, CancellationToken.None);

        Assert.Equal(ids, again);
        var row = Assert.Single(await Db.RowsAsync(fixture.ConnectionString,
            "SELECT nick, sign_info, password = MD5(CONCAT(MD5('second'), salt)) FROM IMUser WHERE id = @id", ("@id", ids[0])));
        Assert.Equal("Changed|kept|1", row.Replace("True", "1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_are_case_sensitive()
    {
        var seeder = NewSeeder();
        var ids = await seeder.EnsureUsersAsync([new SeedUser("frank", "p", "frank"), new SeedUser("Frank", "p", "Frank")], 1, CancellationToken.None);
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(ids, await seeder.EnsureUsersAsync([new SeedUser("frank", "p", "frank"), new SeedUser("Frank", "p", "Frank")], 1, CancellationToken.None));
    }

    [Fact]
    public async Task Seeding_20000_users_twice_gives_the_same_users()
    {
        var seeder = NewSeeder();
        var departId = (uint)await seeder.EnsureDepartmentAsync("Load test", ct: CancellationToken.None);
        var users = Enumerable.Range(1, 20_000)
            .Select(i => new SeedUser("lgt" + i.ToString(CultureInfo.InvariantCulture), "secret", "lgt" + i.ToString(CultureInfo.InvariantCulture)))
            .ToList();

        var stopwatch = Stopwatch.StartNew();
        var ids = await seeder.EnsureUsersAsync(users, departId, CancellationToken.None);
        var firstRun = stopwatch.Elapsed;
        stopwatch.Restart();
        var again = await seeder.EnsureUsersAsync(users, departId, CancellationToken.None);
        var secondRun = stopwatch.Elapsed;
        output.WriteLine($"20,000 users: first run {firstRun.TotalMilliseconds:0} ms, second run {secondRun.TotalMilliseconds:0} ms");

        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.Equal(ids, again);
        Assert.Equal(20_000L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMUser WHERE name LIKE 'lgt%' AND departId = @d", ("@d", departId)));
        Assert.Equal(0L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMUser WHERE name LIKE 'lgt%' AND password <> MD5(CONCAT(MD5('secret'), salt))"));
    }
}
