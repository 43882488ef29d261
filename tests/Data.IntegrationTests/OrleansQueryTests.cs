using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>
/// Runs the statements stored in OrleansQuery the way the Orleans ADO.NET providers (10.4.2) do:
/// the query text as it is, parameters named without '@' and typed as the providers type them,
/// results read by column name. This pins the contract of sql/orleans/*.sql, the LONGBLOB payload
/// included.
/// </summary>
public sealed class OrleansQueryTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private async Task<string> QueryAsync(string key) =>
        (string)(await Db.ScalarAsync(fixture.ConnectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @k", ("@k", key)))!;

    private static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
    }

    /// <summary>Runs a query as RelationalStorage.ReadAsync does: every row of every result set goes through the selector.</summary>
    private async Task<List<T>> ReadAsync<T>(string key, Action<DbCommand> parameters, Func<IDataRecord, T> selector)
    {
        var text = await QueryAsync(key);
        await using var connection = await Db.OpenAsync(fixture.ConnectionString);
        await using var command = connection.CreateCommand();
        parameters(command);
        command.CommandText = text;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        do
        {
            while (await reader.ReadAsync())
            {
                rows.Add(selector(reader));
            }
        }
        while (await reader.NextResultAsync());

        return rows;
    }

    private sealed record GrainKey(int IdHash, long N0, long N1, int TypeHash, string Type, string? Extension, string ServiceId);

    private static void AddKey(DbCommand command, GrainKey key)
    {
        Add(command, "GrainIdHash", key.IdHash, DbType.Int32);
        Add(command, "GrainIdN0", key.N0, DbType.Int64);
        Add(command, "GrainIdN1", key.N1, DbType.Int64);
        Add(command, "GrainTypeHash", key.TypeHash, DbType.Int32);
        Add(command, "GrainTypeString", key.Type, DbType.String);
        Add(command, "GrainIdExtensionString", key.Extension, DbType.String);
        Add(command, "ServiceId", key.ServiceId, DbType.String);
    }

    private async Task<string?> WriteAsync(GrainKey key, int? version, byte[] payload)
    {
        var rows = await ReadAsync("WriteToStorageKey", c =>
        {
            AddKey(c, key);
            Add(c, "GrainStateVersion", version, DbType.Int32);
            Add(c, "PayloadBinary", payload, DbType.Binary);
        }, r => r.IsDBNull(r.GetOrdinal("NewGrainStateVersion")) ? null : Convert.ToInt32(r["NewGrainStateVersion"], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        return rows.SingleOrDefault();
    }

    private async Task<(byte[]? Payload, int? Version)?> ReadStateAsync(GrainKey key)
    {
        var rows = await ReadAsync("ReadFromStorageKey", c => AddKey(c, key), r =>
        (
            r.IsDBNull(r.GetOrdinal("PayloadBinary")) ? null : (byte[])r["PayloadBinary"],
            r.IsDBNull(r.GetOrdinal("Version")) ? (int?)null : Convert.ToInt32(r["Version"], CultureInfo.InvariantCulture)));
        return rows.Count == 0 ? null : rows.Single();
    }

    private async Task<string?> ClearAsync(string queryKey, GrainKey key, int? version)
    {
        var rows = await ReadAsync(queryKey, c =>
        {
            AddKey(c, key);
            Add(c, "GrainStateVersion", version, DbType.Int32);
        }, r => r.GetValue(0).ToString());
        return rows.SingleOrDefault();
    }

    [Fact]
    public async Task Storage_round_trip_of_a_200_KB_payload_with_versions_and_conflicts()
    {
        var key = new GrainKey(RandomNumberGenerator.GetInt32(int.MaxValue), 0, 42, 1234, "TeamTalk.UserState", "ext-😀", "svc");
        var payload = RandomNumberGenerator.GetBytes(200 * 1024);

        Assert.Null(await ReadStateAsync(key));
        Assert.Equal("1", await WriteAsync(key, null, payload));
        var read = await ReadStateAsync(key);
        Assert.NotNull(read);
        Assert.Equal(1, read.Value.Version);
        Assert.Equal(payload, read.Value.Payload);

        // A second "first write" (another activation) and a stale version both report a conflict (no row).
        Assert.Null(await WriteAsync(key, null, [1]));
        var bigger = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        Assert.Equal("2", await WriteAsync(key, 1, bigger));
        Assert.Null(await WriteAsync(key, 1, [2]));
        read = await ReadStateAsync(key);
        Assert.Equal(2, read!.Value.Version);
        Assert.Equal(bigger, read.Value.Payload);

        // Clear keeps the row with a NULL payload and a new version; a stale clear returns the same version.
        Assert.Equal("3", await ClearAsync("ClearStorageKey", key, 2));
        Assert.Equal("2", await ClearAsync("ClearStorageKey", key, 2));
        read = await ReadStateAsync(key);
        Assert.Null(read!.Value.Payload);
        Assert.Equal(3, read.Value.Version);
        Assert.Equal("4", await WriteAsync(key, 3, payload));

        // Delete removes the row.
        Assert.Equal("5", await ClearAsync("DeleteStorageKey", key, 4));
        Assert.Null(await ReadStateAsync(key));
    }

    [Fact]
    public async Task Storage_keys_are_exact_long_and_unicode()
    {
        var type = "TeamTalk.State";
        var lower = new GrainKey(77, 0, 0, 5, type, "a", "svc");
        var upper = lower with { Extension = "A" };
        var none = lower with { Extension = null };
        var emoji = lower with { Extension = "名字😀" };
        var longKey = lower with { Extension = new string('k', 1500) };
        var otherService = lower with { ServiceId = "svc2" };

        var keys = new[] { lower, upper, none, emoji, longKey, otherService };
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal("1", await WriteAsync(keys[i], null, [(byte)i]));
        }

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(new[] { (byte)i }, (await ReadStateAsync(keys[i]))!.Value.Payload!);
        }
    }

    [Fact]
    public async Task Clustering_queries_follow_the_membership_protocol()
    {
        var deployment = "cluster-" + Guid.NewGuid().ToString("N");
        var start = DateTime.UtcNow;

        bool Single(IDataRecord r) => Convert.ToBoolean(r.GetValue(0), CultureInfo.InvariantCulture);
        void Silo(DbCommand c, int generation, int version, int status)
        {
            Add(c, "DeploymentId", deployment, DbType.String);
            Add(c, "Address", "127.0.0.1", DbType.AnsiString);
            Add(c, "Port", 11111, DbType.Int32);
            Add(c, "Generation", generation, DbType.Int32);
            Add(c, "Version", version, DbType.Int32);
            Add(c, "SiloName", "silo-" + generation.ToString(CultureInfo.InvariantCulture), DbType.String);
            Add(c, "HostName", "host", DbType.String);
            Add(c, "Status", status, DbType.Int32);
            Add(c, "ProxyPort", 30000, DbType.Int32);
            Add(c, "StartTime", start, DbType.DateTime);
            Add(c, "IAmAliveTime", start, DbType.DateTime);
            Add(c, "SuspectTimes", null, DbType.String);
        }

        Assert.True((await ReadAsync("InsertMembershipVersionKey", c => Add(c, "DeploymentId", deployment, DbType.String), Single)).First());
        Assert.False((await ReadAsync("InsertMembershipVersionKey", c => Add(c, "DeploymentId", deployment, DbType.String), Single)).First());

        Assert.True((await ReadAsync("InsertMembershipKey", c => Silo(c, 1, 0, 1), Single)).First());
        Assert.False((await ReadAsync("InsertMembershipKey", c => Silo(c, 1, 1, 1), Single)).First()); // already there
        Assert.False((await ReadAsync("InsertMembershipKey", c => Silo(c, 2, 0, 1), Single)).First()); // stale version
        Assert.True((await ReadAsync("UpdateMembershipKey", c => Silo(c, 1, 1, 3), Single)).First());  // -> Active
        Assert.False((await ReadAsync("UpdateMembershipKey", c => Silo(c, 1, 1, 3), Single)).First()); // stale version

        var all = await ReadAsync("MembershipReadAllKey", c => Add(c, "DeploymentId", deployment, DbType.String), r =>
            (Address: (string)r["Address"], Port: r.GetInt32(r.GetOrdinal("Port")), Generation: r.GetInt32(r.GetOrdinal("Generation")),
             SiloName: (string)r["SiloName"], Status: r.GetInt32(r.GetOrdinal("Status")), ProxyPort: r.GetInt32(r.GetOrdinal("ProxyPort")),
             StartTime: r.GetDateTime(r.GetOrdinal("StartTime")), Version: Convert.ToInt32(r["Version"], CultureInfo.InvariantCulture)));
        var silo = Assert.Single(all);
        Assert.Equal(("127.0.0.1", 11111, 1, "silo-1", 3, 30000, 2), (silo.Address, silo.Port, silo.Generation, silo.SiloName, silo.Status, silo.ProxyPort, silo.Version));
        Assert.True((silo.StartTime - start).Duration() < TimeSpan.FromMilliseconds(2));

        var missing = await ReadAsync("MembershipReadRowKey", c => Silo(c, 9, 0, 0), r => (r.IsDBNull(r.GetOrdinal("StartTime")), Convert.ToInt32(r["Version"], CultureInfo.InvariantCulture)));
        Assert.Equal([(true, 2)], missing);

        var gateways = await ReadAsync("GatewaysQueryKey", c =>
        {
            Add(c, "DeploymentId", deployment, DbType.String);
            Add(c, "Status", 3, DbType.Int32);
        }, r => ((string)r["Address"], r.GetInt32(r.GetOrdinal("ProxyPort")), r.GetInt32(r.GetOrdinal("Generation"))));
        Assert.Equal([("127.0.0.1", 30000, 1)], gateways);

        await ReadAsync("UpdateIAmAlivetimeKey", c => Silo(c, 1, 0, 0), r => 0);
        await ReadAsync("CleanupDefunctSiloEntriesKey", c =>
        {
            Add(c, "DeploymentId", deployment, DbType.String);
            Add(c, "IAmAliveTime", DateTime.UtcNow.AddDays(1), DbType.DateTime);
        }, r => 0);
        Assert.Single(await ReadAsync("MembershipReadAllKey", c => Add(c, "DeploymentId", deployment, DbType.String), r => 0)); // Active rows stay

        await ReadAsync("DeleteMembershipTableEntriesKey", c => Add(c, "DeploymentId", deployment, DbType.String), r => 0);
        Assert.Empty(await ReadAsync("MembershipReadAllKey", c => Add(c, "DeploymentId", deployment, DbType.String), r => 0));
    }

    [Fact]
    public async Task Concurrent_first_writes_of_one_grain_let_exactly_one_succeed()
    {
        var key = new GrainKey(99, 0, 7, 8, "TeamTalk.Race", null, "svc");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                return await WriteAsync(key, null, [(byte)i]);
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
            {
                return "duplicate";
            }
        })));

        Assert.Single(results, r => r == "1");
        Assert.Equal(1L, await Db.LongAsync(fixture.ConnectionString, "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'TeamTalk.Race'"));
    }
}
