using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TeamTalk.Orleans.Blobs;

/// <summary>Registration of the blob store.</summary>
public static class BlobStoreServiceCollectionExtensions
{
    /// <summary>Adds the filesystem <see cref="IBlobStore"/> configured by section <c>TeamTalk:Blobs</c> (validated on start).</summary>
    public static IServiceCollection AddTeamTalkBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobStoreOptions>()
            .Bind(configuration.GetSection(BlobStoreOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<FileSystemBlobStore>();
        services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<FileSystemBlobStore>());
        return services;
    }
}
