using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Serialization;
using Orleans.Configuration;

namespace TeamTalk.Orleans.Hosting;

/// <summary>Membership configuration for silos and gateways, from <see cref="ClusterSettings"/>.</summary>
public static class ClusteringExtensions
{
    /// <summary>Exceptions whose types travel between silo and client (MySqlConnector's would otherwise be unknown codecs).</summary>
    private static readonly string[] SerializableExceptionNamespaces = ["MySqlConnector", "TeamTalk.Orleans"];

    /// <summary>Reads and validates the cluster and database settings; throws with a clear message when they are wrong.</summary>
    public static (ClusterSettings Cluster, DatabaseSettings Database) ReadClusterSettings(this IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        var database = configuration.GetSection(DatabaseSettings.Section).Get<DatabaseSettings>() ?? new DatabaseSettings();
        SettingsValidation.Validate(cluster, ClusterSettings.Section);
        SettingsValidation.Validate(database, DatabaseSettings.Section);
        SettingsValidation.ValidateConnectionString(database.ConnectionString);
        return (cluster, database);
    }

    /// <summary>Configures a silo's membership and endpoints.</summary>
    public static ISiloBuilder UseTeamTalkClustering(this ISiloBuilder silo, ClusterSettings cluster, DatabaseSettings database)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.UnionWith(SerializableExceptionNamespaces));
        silo.UseTeamTalkFailureDetection();
        if (cluster.Profile == ClusterProfile.Development)
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        }
        else
        {
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = DatabaseSettings.AdoNetInvariant;
                o.ConnectionString = database.ConnectionString;
            });
        }

        return silo;
    }

    /// <summary>Configures a gateway's Orleans client membership.</summary>
    public static IClientBuilder UseTeamTalkClustering(this IClientBuilder client, ClusterSettings cluster, DatabaseSettings database)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        client.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.UnionWith(SerializableExceptionNamespaces));
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
        client.UseTeamTalkFailureDetection();
        if (cluster.Profile == ClusterProfile.Development)
        {
            client.UseLocalhostClustering(cluster.SiloGatewayPorts is { Length: > 0 } ports ? ports : [30000], cluster.ServiceId, cluster.ClusterId);
        }
        else
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = DatabaseSettings.AdoNetInvariant;
                o.ConnectionString = database.ConnectionString;
            });
        }

        return client;
    }
}
