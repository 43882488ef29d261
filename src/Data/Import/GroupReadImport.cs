using MySqlConnector;
using TeamTalk.Orleans.Data.Messages;

namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// Group read counters: the original counted a member's unread messages as <c>&lt;gid&gt;_im_group_msg</c>'s count minus
/// <c>&lt;uid&gt;_&lt;gid&gt;_im_user_group</c>'s. We keep a read position per member (<c>TeamTalkUnread</c>, session
/// type 2) and count the group's messages after it since the member joined, so <c>n</c> unread becomes the position
/// just before the n-th newest of those messages (none unread: the group's newest message). Runs after the membership
/// import, for current members only. Redis is followed; differences from existing positions are reported.
/// </summary>
internal static class GroupReadImport
{
    public const string Kind = "group reads";

    public static async Task ApplyAsync(MySqlConnection connection, IReadOnlyList<ImportedGroupRead> reads, ImportContext context, CancellationToken ct)
    {
        foreach (var read in reads.OrderBy(r => r.GroupId).ThenBy(r => r.UserId))
        {
            await ApplyOneAsync(connection, read, context, ct);
        }
    }

    private static async Task ApplyOneAsync(MySqlConnection connection, ImportedGroupRead read, ImportContext context, CancellationToken ct)
    {
        var (user, group) = (read.UserId, read.GroupId);
        if (read.GroupCount is not { } groupCount)
        {
            context.Report.Skipped(Kind, $"group {group} user {user}: no {group}_im_group_msg counter in Redis");
            return;
        }

        var joined = await ImportSql.NumberAsync(connection, null,
            "SELECT MAX(updated) FROM IMGroupMember WHERE groupId = @g AND userId = @u AND status = 0", ct, ("@g", group), ("@u", user));
        if (joined is null)
        {
            context.Report.Skipped(Kind, $"group {group} user {user}: not a member");
            return;
        }

        var table = MessageTable.ForGroup(group).Name;
        var unread = groupCount > read.UserCount ? groupCount - read.UserCount : 0;
        uint position;
        if (unread == 0)
        {
            position = await ImportSql.NumberAsync(connection, null, $"SELECT COALESCE(MAX(msgId), 0) FROM {table} WHERE groupId = @g", ct, ("@g", group)) ?? 0;
        }
        else
        {
            var oldestUnread = await ImportSql.NumberAsync(connection, null,
                $"SELECT msgId FROM {table} WHERE groupId = @g AND status = 0 AND created >= @j ORDER BY msgId DESC LIMIT 1 OFFSET @k", ct,
                ("@g", group), ("@j", joined.Value), ("@k", (long)unread - 1));
            if (oldestUnread is null)
            {
                context.Report.Disagreed(Kind, $"group {group} user {user}: Redis counts {unread} unread, fewer messages exist since joining: all of them kept");
            }

            position = oldestUnread is { } id ? id - 1 : 0;
        }

        var ours = await ImportSql.NumberAsync(connection, null,
            "SELECT readMsgId FROM TeamTalkUnread WHERE userId = @u AND sessionType = 2 AND peerId = @g", ct, ("@u", user), ("@g", group));
        if (ours == position)
        {
            context.Report.Unchanged(Kind);
            return;
        }

        if (ours is { } existing)
        {
            context.Report.Disagreed(Kind, $"group {group} user {user}: read to {existing} in TeamTalkUnread, to {position} from Redis: Redis kept");
        }

        await ImportSql.ExecuteAsync(connection, null,
            """
            INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES (@u, 2, @g, 0, @m, @now)
            ON DUPLICATE KEY UPDATE readMsgId = VALUES(readMsgId), updated = VALUES(updated)
            """, ct, ("@u", user), ("@g", group), ("@m", position), ("@now", context.Now));
        context.Report.Changed(Kind);
    }
}
