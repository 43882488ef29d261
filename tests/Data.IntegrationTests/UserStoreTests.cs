using MySqlConnector;
using TeamTalk.Orleans.Data.Schema;
using TeamTalk.Orleans.Data.Users;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>Reading <c>IMUser</c> for login and the directory on a real MariaDB, rows as an existing deployment holds them.</summary>
public sealed class UserStoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private MySqlDataSource? dataSource;
    private Database? database;

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(fixture.ConnectionString, CancellationToken.None);
        dataSource = new MySqlDataSource(fixture.ConnectionString);
        database = new Database(dataSource, TimeProvider.System);
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task A_user_whose_nullable_columns_are_null_is_found_by_its_exact_name_with_status_0()
    {
        var name = await InsertUserAsync("us-", "NULL");
        var store = new UserStore(database!);

        var found = Assert.Single(await store.FindByNameAsync(name));
        var other = await store.FindByNameAsync(name.ToUpperInvariant());

        Assert.Equal((name, 0, "p", "s"), (found.Profile.RealName, found.Status, found.PasswordHash, found.Salt));
        Assert.Empty(other);
        var directory = Assert.Single(await new DirectoryStore(database!).GetUsersAsync([found.Profile.UserId, uint.MaxValue - 1]));
        Assert.Equal((found.Profile, 0u), (directory.Profile, directory.Status));
        Assert.Equal([found.Profile.UserId], await store.ExistingAsync([found.Profile.UserId, uint.MaxValue - 1]));
    }

    [Fact]
    public async Task A_login_read_gives_the_rows_and_the_failures_of_exactly_that_name_within_the_window_in_one_command()
    {
        var name = await InsertUserAsync("lf-", "0");
        var store = new UserStore(database!);
        await store.AddLoginFailureAsync(name, 1_000);
        await store.AddLoginFailureAsync(name, 3_000);
        await store.AddLoginFailureAsync(name, 2_000);
        await store.AddLoginFailureAsync(name.ToUpperInvariant(), 2_500);

        var read = await store.ReadLoginAsync(name, sinceUnixMs: 1_000);
        var none = await store.ReadLoginAsync("lf-nobody-" + name, sinceUnixMs: 0);

        Assert.Equal(name, Assert.Single(read.Users).Profile.RealName);
        Assert.Equal([2_000L, 3_000L], read.Failures);
        Assert.Empty(none.Users);
        Assert.Empty(none.Failures);

        await store.DeleteLoginFailuresAsync(name, upToUnixMs: 2_000);
        Assert.Equal([3_000L], (await store.ReadLoginAsync(name, 0)).Failures);
        await store.DeleteLoginFailuresAsync(name, long.MaxValue);
        Assert.Empty((await store.ReadLoginAsync(name, 0)).Failures);
        Assert.Equal([2_500L], (await store.ReadLoginAsync(name.ToUpperInvariant(), 0)).Failures);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AddLoginFailureAsync(new string('x', UserStore.MaxStoredName + 1), 1));
    }

    /// <summary>An <c>IMUser</c> row as an existing deployment may hold it, under a new name starting with <paramref name="prefix"/>.</summary>
    private async Task<string> InsertUserAsync(string prefix, string status)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..8];
        await Db.ExecAsync(fixture.ConnectionString,
            $"INSERT INTO IMUser (name, nick, password, salt, departId, status, created, updated) VALUES ('{name}', 'n', 'p', 's', 1, {status}, 0, 0)");
        return name;
    }
}
