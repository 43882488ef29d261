using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Gateway;

/// <summary>Settings of a gateway process (section <c>TeamTalk:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "TeamTalk:Gateway";

    /// <summary>Address the TCP and HTTP listeners bind to. Loopback by default; 0.0.0.0 to serve a network.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>TeamTalk client TCP port (the original msg_server's 8000).</summary>
    [Range(1, 65535)]
    public int TcpPort { get; set; } = 8000;

    /// <summary>File transfer TCP port (the original file_server's 8600); 0 serves no file transfers.</summary>
    [Range(0, 65535)]
    public int FileTcpPort { get; set; } = 8600;

    /// <summary>File connections silent this long are closed (the original file_server's 120 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FileIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>HTTP port: discovery (<c>/msg_server</c>, the original login_server's 8080).</summary>
    [Range(1, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>msfs port: image and voice uploads and downloads (behaviour.md 2.2, the original msfs's 8700); nothing else is served there.</summary>
    [Range(1, 65535)]
    public int MsfsPort { get; set; } = 8700;

    /// <summary>Address handed to IPv4 clients by discovery (<c>priorIP</c>).</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Second address handed out by discovery (<c>backupIP</c>; <c>priorIP</c> for non-IPv4 clients). Empty: same as <see cref="AdvertisedAddress"/>.</summary>
    public string AdvertisedAddress2 { get; set; } = string.Empty;

    /// <summary>Logged-in connections beyond which discovery stops sending clients here.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 18_000;

    /// <summary>Largest accepted PDU, header included; larger announced lengths close the connection.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPacketBytes { get; set; } = 1024 * 1024;

    /// <summary>Frames queued for one client before it counts as not reading and is disconnected.</summary>
    [Range(16, 1_000_000)]
    public int OutboundQueueCapacity { get; set; } = 1024;

    /// <summary>A connection not logged in this long after accept is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>PC-class connections silent this long are closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan IdleTimeoutPc { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Mobile-class connections silent this long are closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan IdleTimeoutMobile { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>How long a kicked connection stays open after <c>IMKickUser</c> (clients close on receipt).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan KickGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On a graceful stop, how long the gateway waits for its client connections to close (each flushes what it has
    /// queued, then closes, and its client reconnects through discovery to another gateway) before the host goes on
    /// stopping. Below the host's 15 s shutdown timeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a grain call that was on its way when a silo connection dropped may still take before it fails
    /// (<see cref="Cluster.SiloLossWatch"/>); zero: such calls wait out the response timeout. Above the time the
    /// cluster takes to declare a dead silo (calls to its grains fail by themselves then), far below the timeout. A
    /// gateway in a silo's process (<c>TeamTalk:Silo:HostGateway</c>) has no such watch and ignores this: its calls to a
    /// dead silo fail when the cluster declares that silo dead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan SiloLossGrace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the gateway announces itself (address, load, observer) to the gateway directory, and so how often its
    /// discovery view is refreshed: the directory hands discovery only gateways heard from within its
    /// <c>TeamTalk:Directory:DiscoveryLifetime</c> (1 s), which must stay at least twice this period.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AnnouncePeriod { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait for one announcement (and for one in flight when the gateway leaves): four periods, at least 1 s.</summary>
    public TimeSpan AnnounceTimeout => AnnouncePeriod * 4 > TimeSpan.FromSeconds(1) ? AnnouncePeriod * 4 : TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long discovery keeps answering from its last view of the live gateways when it cannot reach the directory
    /// (a directory moving off a dead silo takes a second or two); older than this, it answers code 1.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan DiscoveryViewMaxAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most <c>CID_MSG_DATA</c> a connection may send per one-second window (fixed window, as the original); the rest are dropped.</summary>
    [Range(1, 1_000_000)]
    public int MessageRateLimit { get; set; } = 20;

    /// <summary>Messages of one connection waiting for their commit, beyond which new ones are dropped (with a warning).</summary>
    [Range(1, 100_000)]
    public int MessageQueueCapacity { get; set; } = 256;

    /// <summary>Longest accepted text message, in characters (the original's <c>content</c> column holds 4096).</summary>
    [Range(1, 4096)]
    public int MaxMessageChars { get; set; } = 4096;

    /// <summary>
    /// Image/voice store URL handed out by discovery (<c>msfsPrior</c>, <c>msfsBackup</c>). Empty: <see cref="MsfsPort"/> of
    /// <see cref="AdvertisedAddress"/> (see <see cref="MsfsUrlToAdvertise"/>).
    /// </summary>
    public string MsfsUrl { get; set; } = string.Empty;

    /// <summary>
    /// URL handed out by discovery as <c>discovery</c> (the discover items, served by every gateway's HTTP port). Empty:
    /// <c>/api/discovery</c> on <see cref="AdvertisedAddress"/>:<see cref="HttpPort"/> (see <see cref="DiscoveryUrlToAdvertise"/>).
    /// </summary>
    public string DiscoveryUrl { get; set; } = string.Empty;

    /// <summary>The msfs URL clients get: <see cref="MsfsUrl"/>, or derived from the advertised address when not set.</summary>
    public string MsfsUrlToAdvertise() =>
        string.IsNullOrWhiteSpace(MsfsUrl) ? $"http://{UrlHost(AdvertisedAddress)}:{MsfsPort}/" : MsfsUrl;

    /// <summary>The discovery URL clients get: <see cref="DiscoveryUrl"/>, or derived from the advertised address when not set.</summary>
    public string DiscoveryUrlToAdvertise() =>
        string.IsNullOrWhiteSpace(DiscoveryUrl) ? $"http://{UrlHost(AdvertisedAddress)}:{HttpPort}/api/discovery" : DiscoveryUrl;

    /// <summary>An address as a URL's host: IPv6 literals in brackets.</summary>
    private static string UrlHost(string address) =>
        address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') ? $"[{address}]" : address;
}
