using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>The named HTTP clients of push providers: HTTP/2, pooled connections, retries and attempt timeouts from the provider's options.</summary>
internal static class PushHttpClients
{
    /// <summary>
    /// Adds the client <paramref name="name"/> (its resilience pipeline has the same name), asking for HTTP/2 with
    /// <paramref name="versionPolicy"/>, retrying 429/5xx/no answer as <typeparamref name="TOptions"/> says.
    /// </summary>
    public static IServiceCollection AddPushHttpClient<TOptions>(this IServiceCollection services, string name, HttpVersionPolicy versionPolicy)
        where TOptions : PushProviderOptions
    {
        services.AddHttpClient(name, c =>
            {
                c.DefaultRequestVersion = System.Net.HttpVersion.Version20;
                c.DefaultVersionPolicy = versionPolicy;
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
            .AddResilienceHandler(name, (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
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
        return services;
    }
}
