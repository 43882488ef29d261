using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Login;

/// <summary>The failure limiter of behaviour.md 4.2: more than <see cref="MaxFailures"/> failures within <see cref="Window"/> block a name.</summary>
public sealed class LoginLimiterOptions
{
    public const string Section = "TeamTalk:Login";

    /// <summary>Failures kept within the window before attempts are refused (original: 10, so the 12th attempt is refused).</summary>
    [Range(1, 10_000)]
    public int MaxFailures { get; set; } = 10;

    /// <summary>How long a failure counts (original: 30 minutes).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(30);
}
