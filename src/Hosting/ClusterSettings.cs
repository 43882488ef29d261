using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Hosting;

/// <summary>Which membership the cluster uses.</summary>
public enum ClusterProfile
{
    /// <summary>One silo on this machine, localhost clustering (TeamTalk data still in MariaDB).</summary>
    Development,

    /// <summary>ADO.NET clustering and grain storage on MariaDB/MySQL; any number of silos and gateways.</summary>
    Production,
}

/// <summary>Cluster membership settings, shared by silos and gateways (section <c>TeamTalk:Cluster</c>).</summary>
public sealed class ClusterSettings
{
    public const string Section = "TeamTalk:Cluster";

    public ClusterProfile Profile { get; set; } = ClusterProfile.Development;

    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,100}$")]
    public string ClusterId { get; set; } = "teamtalk";

    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,100}$")]
    public string ServiceId { get; set; } = "teamtalk";

    /// <summary>Silo-to-silo port of a silo.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port on which a silo accepts Orleans clients (our gateways).</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address a silo advertises to the cluster.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Development profile, gateways only: the silo gateway ports to connect to (none given: 30000).</summary>
    public int[] SiloGatewayPorts { get; set; } = [];

    /// <summary>How long a gateway waits for a grain call before giving up (a dead silo is noticed within this).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>The MariaDB/MySQL database holding TeamTalk data and Orleans tables (section <c>TeamTalk:Database</c>).</summary>
public sealed class DatabaseSettings
{
    public const string Section = "TeamTalk:Database";

    /// <summary>The ADO.NET invariant under which Orleans loads MySqlConnector.</summary>
    public const string AdoNetInvariant = "MySql.Data.MySqlConnector";

    /// <summary>A MySqlConnector connection string naming the database.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "TeamTalk:Database:ConnectionString is required (e.g. Server=127.0.0.1;Port=3307;Database=teamtalk;User ID=root;Password=...)")]
    public string ConnectionString { get; set; } = string.Empty;
}
