using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeamTalk.Orleans.Data.Push;
using TeamTalk.Orleans.Grains.Push.Apns;
using TeamTalk.Orleans.Grains.Push.Fcm;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>Registers the silo's push service; providers are added on their own (<see cref="IPushProvider"/>).</summary>
public static class PushServiceCollectionExtensions
{
    /// <summary>Adds the push queue, decision and metrics with validated <see cref="PushOptions"/> (section <c>TeamTalk:Push</c>).</summary>
    public static IServiceCollection AddTeamTalkPush(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PushOptions>().Bind(configuration.GetSection(PushOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<PushMetrics>();
        services.AddSingleton<PushStore>();
        services.AddSingleton<PushDecider>();
        services.AddSingleton<PushService>();
        services.AddHostedService(sp => sp.GetRequiredService<PushService>());
        services.AddTeamTalkApns(configuration);
        services.AddTeamTalkFcm(configuration);
        return services;
    }
}
