using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Login;

/// <summary>
/// Login settings (section <c>TeamTalk:Login</c>): the failure limiter of behaviour.md 4.2 (more than
/// <see cref="MaxFailures"/> failures within <see cref="Window"/> block a name) and how long a Login grain serves its
/// name's <c>IMUser</c> row from memory.
/// </summary>
public sealed class LoginLimiterOptions
{
    public const string Section = "TeamTalk:Login";

    /// <summary>Failures kept within the window before attempts are refused (original: 10, so the 12th attempt is refused).</summary>
    [Range(1, 10_000)]
    public int MaxFailures { get; set; } = 10;

    /// <summary>How long a failure counts (original: 30 minutes).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a Login grain answers successful logins from the <c>IMUser</c> row it read last (zero: every login reads
    /// the row). Changes made through this server (back-office API, admin console, a client's sign info or avatar) are
    /// seen by the next login whatever this is: the User-profile grain tells the Login grain after writing. A refused
    /// login always reads the row again (so a password replaced outside this server works at once). Only a change made
    /// outside this server (the original PHP admin, SQL) is seen this late at most: a user disabled there, or the old
    /// password, still logs in, and the login reply may carry the old profile, until then.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan UserCacheTime { get; set; } = TimeSpan.FromMinutes(5);
}
