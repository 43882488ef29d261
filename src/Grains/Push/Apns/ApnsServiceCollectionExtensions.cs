using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

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
        services.AddHttpClient(ApnsProvider.ClientName, c =>
            {
                // HTTP/2 only: APNs speaks nothing else (TLS with ALPN in production, h2c on a loopback test server).
                c.DefaultRequestVersion = HttpVersion.Version20;
                c.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
            .AddResilienceHandler("apns", (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<ApnsOptions>>().Value;
                builder.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                    ShouldHandle = o.MaxRetries == 0 ? _ => ValueTask.FromResult(false) : new HttpRetryStrategyOptions().ShouldHandle,
                    Delay = o.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                });
                builder.AddTimeout(o.AttemptTimeout);
            });
        services.AddSingleton<IPushProvider, ApnsProvider>();
        return services;
    }
}
