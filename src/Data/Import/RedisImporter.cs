using MySqlConnector;

namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// Writes what an original deployment kept in Redis (<see cref="RedisSnapshot"/>) into our tables, once and
/// idempotently: an entry already as Redis says is left alone, so a second run changes nothing. Order matters:
/// membership first (group read positions count from the join time), then 1:1 unread, group reads, tokens, mute flags.
/// </summary>
public sealed class RedisImporter(Database database, TimeProvider time)
{
    /// <summary>How recently a silo must have written its IAmAlive time to count as live (Orleans writes it every 5 minutes).</summary>
    public static readonly TimeSpan LiveSiloWindow = TimeSpan.FromMinutes(10);

    /// <summary>Silos of any cluster on this database that are Active and wrote their IAmAlive time within <see cref="LiveSiloWindow"/>.</summary>
    public async Task<IReadOnlyList<string>> LiveSilosAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var query = new MySqlCommand(
            """
            SELECT DeploymentId, Address, Port, IAmAliveTime FROM OrleansMembershipTable
            WHERE Status = 3 AND IAmAliveTime > UTC_TIMESTAMP(3) - INTERVAL @seconds SECOND
            ORDER BY DeploymentId, Address, Port
            """, connection);
        query.Parameters.AddWithValue("@seconds", (int)LiveSiloWindow.TotalSeconds);
        var silos = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            silos.Add(FormattableString.Invariant($"cluster {reader.GetString(0)} silo {reader.GetString(1)}:{reader.GetInt32(2)} (alive at {reader.GetDateTime(3):yyyy-MM-dd HH:mm:ss} UTC)"));
        }

        return silos;
    }

    /// <summary>Imports the snapshot and reports what changed, what was skipped and where our tables disagreed with Redis.</summary>
    public async Task<RedisImportReport> ImportAsync(RedisSnapshot snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var report = new RedisImportReport();
        foreach (var rejected in snapshot.Rejected)
        {
            report.Skipped("redis keys", rejected);
        }

        await using var connection = await database.OpenAsync(ct);
        var userIds = snapshot.Members.SelectMany(m => m.JoinTimes.Keys)
            .Concat(snapshot.Unread.SelectMany(u => new[] { u.UserId, u.PeerId }))
            .Concat(snapshot.Tokens.Select(t => t.UserId))
            .Concat(snapshot.Shields.Select(s => s.UserId));
        var groupIds = snapshot.Members.Select(m => m.GroupId).Concat(snapshot.Shields.Select(s => s.GroupId));
        var context = new ImportContext(
            await ImportSql.ExistingAsync(connection, "IMUser", userIds, ct),
            await ImportSql.ExistingAsync(connection, "IMGroup", groupIds, ct),
            (uint)time.GetUtcNow().ToUnixTimeSeconds(),
            report);

        await MembershipImport.ApplyAsync(connection, snapshot.Members, context, ct);
        await UnreadImport.ApplyAsync(connection, snapshot.Unread, context, ct);
        await GroupReadImport.ApplyAsync(connection, snapshot.GroupReads, context, ct);
        await TokenImport.ApplyAsync(connection, snapshot.Tokens, context, ct);
        await ShieldImport.ApplyAsync(connection, snapshot.Shields, context, ct);
        return report;
    }
}
