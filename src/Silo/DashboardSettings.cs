using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Silo;

/// <summary>The silo's HTTP endpoint: Orleans Dashboard and health (section <c>TeamTalk:Dashboard</c>).</summary>
public sealed class DashboardSettings
{
    public const string Section = "TeamTalk:Dashboard";

    /// <summary>Address to listen on; loopback by default because the dashboard has no authentication of its own.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>HTTP port (0: any free port).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8090;
}
