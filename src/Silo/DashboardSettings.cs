using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Silo;

/// <summary>The silo's HTTP endpoint: Orleans Dashboard and health (section <c>TeamTalk:Dashboard</c>).</summary>
public sealed class DashboardSettings
{
    public const string Section = "TeamTalk:Dashboard";

    /// <summary>
    /// Whether the Orleans Dashboard runs. It samples every Orleans instrument once a second (an OpenTelemetry reader
    /// whose period the package fixes) and the silo statistics every <see cref="CounterUpdateInterval"/>, whether anyone
    /// looks or not; off, the endpoint serves only <c>/health</c>. The benchmark turns it off (docs/benchmarks.md).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the dashboard samples the silo's runtime statistics (at least one second).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CounterUpdateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Address to listen on; loopback by default because the dashboard has no authentication of its own.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>HTTP port (0: any free port).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8090;

    /// <summary>
    /// When set, the dashboard asks for HTTP basic authentication with <see cref="UserName"/> and this password (set it
    /// from the environment, <c>TeamTalk__Dashboard__Password</c>, rather than a file in the repository). Needed
    /// before <see cref="Address"/> leaves loopback; basic authentication sends the password in clear, so put TLS in
    /// front of a dashboard reached over a network.
    /// </summary>
    [MinLength(8)]
    public string? Password { get; set; }

    /// <summary>The user name of basic authentication (with <see cref="Password"/>).</summary>
    [Required]
    [RegularExpression("^[^:]+$", ErrorMessage = "a user name without ':'")]
    public string UserName { get; set; } = "admin";
}
