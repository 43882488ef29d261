using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TeamTalk.Orleans.Grains.Push.Fcm;

/// <summary>Registers the FCM provider when <c>TeamTalk:Push:Fcm:Enabled</c> is true.</summary>
public static class FcmServiceCollectionExtensions
{
    /// <summary>Adds validated <see cref="FcmOptions"/> and, when enabled, the provider and its token source over HTTP clients with retries.</summary>
    public static IServiceCollection AddTeamTalkFcm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FcmOptions>().Bind(configuration.GetSection(FcmOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var settings = configuration.GetSection(FcmOptions.Section).Get<FcmOptions>() ?? new FcmOptions();
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddSingleton(sp => FcmServiceAccount.Read(sp.GetRequiredService<IOptions<FcmOptions>>().Value.ServiceAccountPath));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<FcmOptions>>().Value;
            var account = sp.GetRequiredService<FcmServiceAccount>();
            var tokenUri = o.TokenUri ?? account.TokenUri ?? throw new InvalidOperationException("FCM: no token URI");
            return new FcmAccessToken(sp.GetRequiredService<IHttpClientFactory>(), account, tokenUri, sp.GetRequiredService<TimeProvider>());
        });
        // HTTP/2 where the server offers it (TLS with ALPN), HTTP/1.1 otherwise (a plain loopback test server).
        services.AddPushHttpClient<FcmOptions>(FcmProvider.ClientName, HttpVersionPolicy.RequestVersionOrLower);
        services.AddPushHttpClient<FcmOptions>(FcmAccessToken.ClientName, HttpVersionPolicy.RequestVersionOrLower);
        services.AddSingleton<IPushProvider, FcmProvider>();
        return services;
    }
}
