namespace TeamTalk.Orleans.Data.Users;

/// <summary>
/// The <c>latest_update_time</c> a client gets back from an incremental sync, computed from the real <c>updated</c>
/// columns of the rows returned (never from a watermark of our own: behaviour.md defect 24).
/// </summary>
public static class SyncWatermark
{
    /// <summary>
    /// Users (behaviour.md 3.6.4, filter <c>updated &gt;= since</c>): the greatest <c>updated</c> returned, or
    /// <paramref name="since"/> when nothing was. Rows changed in that same second are sent again next time, which
    /// clients absorb (they replace users by id), and none is missed.
    /// </summary>
    public static uint ForUsers(uint since, IEnumerable<uint> returnedUpdated)
    {
        ArgumentNullException.ThrowIfNull(returnedUpdated);
        var latest = since;
        var any = false;
        foreach (var updated in returnedUpdated)
        {
            latest = any ? Math.Max(latest, updated) : updated;
            any = true;
        }

        return any ? latest : since;
    }

    /// <summary>
    /// Departments (behaviour.md 3.6.7, filter <c>updated &gt; since</c>): the greatest <c>updated</c> returned but
    /// at most <paramref name="databaseNow"/> − 1 (and never below <paramref name="since"/>), or
    /// <paramref name="since"/> when nothing was returned. With a strict filter, answering the current second would
    /// lose a row changed later within that second; capping sends such rows again instead.
    /// </summary>
    public static uint ForDepartments(uint since, IEnumerable<uint> returnedUpdated, uint databaseNow)
    {
        ArgumentNullException.ThrowIfNull(returnedUpdated);
        uint? greatest = null;
        foreach (var updated in returnedUpdated)
        {
            greatest = greatest is { } g ? Math.Max(g, updated) : updated;
        }

        if (greatest is not { } max)
        {
            return since;
        }

        var cap = databaseNow == 0 ? 0 : databaseNow - 1;
        return Math.Max(since, Math.Min(max, cap));
    }
}
