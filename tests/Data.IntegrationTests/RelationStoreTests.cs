using MySqlConnector;
using TeamTalk.Orleans.Data.Relations;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>A pair's relation row on a real MariaDB, created by several callers at once (two activations of its grain).</summary>
public sealed class RelationStoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private MySqlDataSource? dataSource;

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(fixture.ConnectionString, CancellationToken.None);
        dataSource = new MySqlDataSource(fixture.ConnectionString);
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task Concurrent_creators_of_a_pair_s_relation_make_one_row_and_get_its_id()
    {
        var store = new RelationStore(new Database(dataSource!, TimeProvider.System));
        const uint small = 700_001, big = 700_002;

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.EnsureRelationAsync(small, big, 1_700_000_000))));

        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMRelationShip WHERE smallId = @s AND bigId = @b", ("@s", small), ("@b", big)));
        Assert.Equal(ids[0], await store.FindAsync(small, big));
    }

    [Fact]
    public async Task Concurrent_callers_make_one_recent_session_row_each_way()
    {
        var store = new RelationStore(new Database(dataSource!, TimeProvider.System));
        const uint user = 700_011, peer = 700_012;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            i % 2 == 0 ? store.EnsureRecentSessionsAsync(user, peer, 1_700_000_000) : store.EnsureRecentSessionsAsync(peer, user, 1_700_000_000))));

        Assert.Equal(1L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMRecentSession WHERE userId = @u AND peerId = @p AND type = 1", ("@u", user), ("@p", peer)));
        Assert.Equal(1L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM IMRecentSession WHERE userId = @u AND peerId = @p AND type = 1", ("@u", peer), ("@p", user)));
        Assert.Single(results.Where((_, i) => i % 2 == 0).Select(r => (r[0], r[1])).Distinct());
    }
}
