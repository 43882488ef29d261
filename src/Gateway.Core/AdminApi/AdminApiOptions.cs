using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// Settings of the back-office HTTP API (read from section <c>TeamTalk:Gateway</c>, beside the gateway's other
/// listeners). The API listens only when at least one key is configured (<see cref="AdminApiKeys"/> or
/// <see cref="AdminApiKeyFile"/>); every request must then carry one of them.
/// </summary>
public sealed class AdminApiOptions
{
    public const string Section = "TeamTalk:Gateway";

    /// <summary>Port of the back-office listener (the original http_msg_server's 8400).</summary>
    [Range(1, 65535)]
    public int AdminHttpPort { get; set; } = 8400;

    /// <summary>Address the back-office listener binds to: loopback unless configured otherwise.</summary>
    [Required]
    public string AdminListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Accepted bearer keys (at least <see cref="AdminApiKeyRing.MinimumKeyLength"/> characters each).</summary>
    public IList<string> AdminApiKeys { get; } = [];

    /// <summary>A file holding one more accepted key (surrounding whitespace ignored); <c>./run.sh</c> writes <c>.data/api.key</c>.</summary>
    public string AdminApiKeyFile { get; set; } = string.Empty;

    /// <summary>
    /// Where the web console keeps its Data Protection keys (which sign its session cookies and antiforgery tokens), so
    /// sessions survive a restart and gateways sharing the directory accept each other's cookies. Empty: keys in memory
    /// only (every restart logs administrators out). <c>./run.sh</c> uses <c>.data/admin-console-keys</c>.
    /// </summary>
    public string AdminConsoleKeysDirectory { get; set; } = string.Empty;

    /// <summary>The Orleans Dashboard's URL the console links to (the gateway cannot know the silo's); empty: no link.</summary>
    public string AdminDashboardUrl { get; set; } = string.Empty;

    /// <summary>Largest accepted request body; a larger one is answered 413 and not read further.</summary>
    public const int MaxBodyBytes = 64 * 1024;
}
