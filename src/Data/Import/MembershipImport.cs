using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;

namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// Group membership from <c>group_member_&lt;gid&gt;</c>, which the original trusted over <c>IMGroupMember</c>: where they
/// disagree Redis is followed (a member in Redis only is added with its join time, a join time is corrected, a member in
/// MySQL only is marked left) and every disagreement is reported. A group with changes gets a new version and its
/// <c>userCnt</c>. Groups without a Redis key are reported and left as they are. One transaction per group.
/// </summary>
internal static class MembershipImport
{
    public const string Kind = "members";

    public static async Task ApplyAsync(MySqlConnection connection, IReadOnlyList<ImportedMembers> groups, ImportContext context, CancellationToken ct)
    {
        foreach (var group in groups.OrderBy(g => g.GroupId))
        {
            if (!context.Groups.Contains(group.GroupId))
            {
                context.Report.Skipped(Kind, $"group {group.GroupId}: no IMGroup row ({group.JoinTimes.Count} members in Redis)");
                continue;
            }

            await ApplyGroupAsync(connection, group, context, ct);
        }

        var inRedis = groups.Select(g => g.GroupId).ToHashSet();
        await using var query = new MySqlCommand("SELECT DISTINCT groupId FROM IMGroupMember WHERE status = 0 ORDER BY groupId", connection);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var groupId = Columns.Number(reader, 0);
            if (!inRedis.Contains(groupId))
            {
                context.Report.Disagreed(Kind, $"group {groupId}: members in IMGroupMember but no group_member_{groupId} in Redis: left as they are");
            }
        }
    }

    private static async Task ApplyGroupAsync(MySqlConnection connection, ImportedMembers group, ImportContext context, CancellationToken ct)
    {
        var g = group.GroupId;
        var rows = new List<(uint Id, uint User, uint Status, uint Updated)>();
        await using (var query = new MySqlCommand("SELECT id, userId, status, updated FROM IMGroupMember WHERE groupId = @g ORDER BY id", connection))
        {
            query.Parameters.AddWithValue("@g", g);
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((Columns.Number(reader, 0), Columns.Number(reader, 1), Columns.Number(reader, 2), Columns.Number(reader, 3)));
            }
        }

        var active = rows.Where(r => r.Status == 0).GroupBy(r => r.User).ToDictionary(r => r.Key, r => r.Max(x => x.Updated));
        var report = context.Report;
        var changed = false;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var (user, joined) in group.JoinTimes.OrderBy(m => m.Key))
        {
            if (!context.Users.Contains(user))
            {
                report.Skipped(Kind, $"group {g}: member {user} is no IMUser row");
                continue;
            }

            if (active.TryGetValue(user, out var ours))
            {
                if (ours == joined)
                {
                    report.Unchanged(Kind);
                    continue;
                }

                report.Disagreed(Kind, $"group {g} user {user}: joined {ours} in IMGroupMember, {joined} in Redis: Redis kept");
                await ImportSql.ExecuteAsync(connection, transaction, "UPDATE IMGroupMember SET updated = @j WHERE groupId = @g AND userId = @u AND status = 0", ct,
                    ("@j", joined), ("@g", g), ("@u", user));
            }
            else
            {
                report.Disagreed(Kind, $"group {g} user {user}: a member in Redis only (joined {joined}): added");
                var previous = rows.Where(r => r.User == user).Select(r => r.Id).DefaultIfEmpty().Max();
                await ImportSql.ExecuteAsync(connection, transaction,
                    previous != 0
                        ? "UPDATE IMGroupMember SET status = 0, updated = @j WHERE id = @id"
                        : "INSERT INTO IMGroupMember (groupId, userId, status, created, updated) VALUES (@g, @u, 0, @j, @j)", ct,
                    ("@j", joined), ("@id", previous), ("@g", g), ("@u", user));
            }

            report.Changed(Kind);
            changed = true;
        }

        foreach (var user in active.Keys.Where(u => !group.JoinTimes.ContainsKey(u)).Order())
        {
            report.Disagreed(Kind, $"group {g} user {user}: a member in IMGroupMember only: marked left");
            await ImportSql.ExecuteAsync(connection, transaction,
                """
                UPDATE IMGroupMember SET status = 1, updated = @now WHERE groupId = @g AND userId = @u AND status = 0;
                UPDATE IMRecentSession SET status = 1, updated = @now WHERE userId = @u AND peerId = @g AND type = 2 AND status = 0
                """, ct, ("@now", context.Now), ("@g", g), ("@u", user));
            report.Changed(Kind);
            changed = true;
        }

        if (changed)
        {
            await ImportSql.ExecuteAsync(connection, transaction,
                """
                UPDATE IMGroup SET version = version + 1, updated = @now,
                    userCnt = (SELECT COUNT(DISTINCT m.userId) FROM IMGroupMember m WHERE m.groupId = @g AND m.status = 0)
                WHERE id = @g
                """, ct, ("@now", context.Now), ("@g", g));
        }

        await transaction.CommitAsync(ct);
    }
}
