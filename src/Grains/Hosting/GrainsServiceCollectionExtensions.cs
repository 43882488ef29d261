using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeamTalk.Orleans.Data;
using TeamTalk.Orleans.Data.Admin;
using TeamTalk.Orleans.Data.Devices;
using TeamTalk.Orleans.Data.Discovery;
using TeamTalk.Orleans.Data.Files;
using TeamTalk.Orleans.Data.Groups;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Msfs;
using TeamTalk.Orleans.Data.Relations;
using TeamTalk.Orleans.Data.Sessions;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Conversations;
using TeamTalk.Orleans.Grains.Directory;
using TeamTalk.Orleans.Grains.Files;
using TeamTalk.Orleans.Grains.Groups;
using TeamTalk.Orleans.Grains.Login;
using TeamTalk.Orleans.Grains.Push;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.Grains;

/// <summary>Registers what the grains need on a silo.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grains' services: TeamTalk data access (<see cref="Database"/>) over the <c>MySqlDataSource</c>
    /// registered by the host, the gateway router and validated options.
    /// </summary>
    public static IServiceCollection AddTeamTalkGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LoginLimiterOptions>().Bind(configuration.GetSection(LoginLimiterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GatewayDirectoryOptions>().Bind(configuration.GetSection(GatewayDirectoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Database>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<InProcessGateways>();
        services.AddSingleton<GatewayRouter>();
        services.AddHostedService<SiloDeathWatch>();
        services.AddSingleton<Diagnostics.SiloFaults>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<AudioStore>();
        services.AddSingleton<AudioHistory>();
        services.AddSingleton<RelationStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<MessageBatchWriter>();
        services.AddOptions<MessageCommitterOptions>().Bind(configuration.GetSection(MessageCommitterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConversationMetrics>();
        services.AddSingleton<MessageCommitter>();
        services.AddOptions<MemberDeliveryOptions>().Bind(configuration.GetSection(MemberDeliveryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService(sp => sp.GetRequiredService<MessageCommitter>());
        services.AddOptions<GroupOptions>().Bind(configuration.GetSection(GroupOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GroupStore>();
        services.AddSingleton<DeviceStore>();
        services.AddSingleton<ProfileStore>();
        services.AddSingleton<MsfsStore>();
        services.AddSingleton<UserAdminStore>();
        services.AddSingleton<AdminAccountStore>();
        services.AddSingleton<ConsoleStore>();
        services.AddSingleton<DiscoveryStore>();
        services.AddOptions<FileTransferOptions>().Bind(configuration.GetSection(FileTransferOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OfflineFileStore>();
        services.AddTeamTalkPush(configuration);
        return services;
    }
}
