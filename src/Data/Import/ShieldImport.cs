namespace TeamTalk.Orleans.Data.Import;

/// <summary>Group mute flags from <c>group_set_&lt;gid&gt;</c> into <c>TeamTalkGroupShield</c> (a missing row means 0, as for the Group grain).</summary>
internal static class ShieldImport
{
    public const string Kind = "group shields";

    public static async Task ApplyAsync(MySqlConnector.MySqlConnection connection, IReadOnlyList<ImportedShield> shields, ImportContext context, CancellationToken ct)
    {
        foreach (var shield in shields.OrderBy(s => s.GroupId).ThenBy(s => s.UserId))
        {
            var (g, u) = (shield.GroupId, shield.UserId);
            if (!context.Groups.Contains(g) || !context.Users.Contains(u))
            {
                context.Report.Skipped(Kind, $"group {g} user {u}: no IMGroup or no IMUser row");
                continue;
            }

            var ours = await ImportSql.NumberAsync(connection, null,
                "SELECT shieldStatus FROM TeamTalkGroupShield WHERE groupId = @g AND userId = @u", ct, ("@g", g), ("@u", u));
            if ((ours ?? 0) == shield.Status)
            {
                context.Report.Unchanged(Kind);
                continue;
            }

            if (ours is { } existing)
            {
                context.Report.Disagreed(Kind, $"group {g} user {u}: {existing} in TeamTalkGroupShield, {shield.Status} in Redis: Redis kept");
            }

            await ImportSql.ExecuteAsync(connection, null,
                """
                INSERT INTO TeamTalkGroupShield (groupId, userId, shieldStatus, updated) VALUES (@g, @u, @s, @now)
                ON DUPLICATE KEY UPDATE shieldStatus = VALUES(shieldStatus), updated = VALUES(updated)
                """, ct, ("@g", g), ("@u", u), ("@s", shield.Status), ("@now", context.Now));
            context.Report.Changed(Kind);
        }
    }
}
