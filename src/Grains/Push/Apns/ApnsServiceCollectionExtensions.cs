using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TeamTalk.Orleans.Grains.Push.Apns;

/// <summary>Registers the APNs provider when <c>TeamTalk:Push:Apns:Enabled</c> is true.</summary>
public static class ApnsServiceCollectionExtensions
{
    /// <summary>Adds validated <see cref="ApnsOptions"/> and, when enabled, the provider over an HTTP/2 client with retries.</summary>
    public static IServiceCollection AddTeamTalkApns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApnsOptions>().Bind(configuration.GetSection(ApnsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var settings = configuration.GetSection(ApnsOptions.Section).Get<ApnsOptions>() ?? new ApnsOptions();
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ApnsOptions>>().Value;
            return new ApnsToken(File.ReadAllText(o.KeyPath), o.KeyId, o.TeamId, sp.GetRequiredService<TimeProvider>());
        });
        // HTTP/2 only: APNs speaks nothing else (TLS with ALPN in production, h2c on a loopback test server).
        services.AddPushHttpClient<ApnsOptions>(ApnsProvider.ClientName, HttpVersionPolicy.RequestVersionExact);
        services.AddSingleton<IPushProvider, ApnsProvider>();
        return services;
    }
}
