using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TeamTalk.Orleans.Hosting;

/// <summary>What every TeamTalk.Orleans server process sets up the same way.</summary>
public static class ProcessDefaults
{
    /// <summary>How long a graceful stop may take before the process exits anyway.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Serilog console logging, and a bounded graceful stop: a stop that cannot finish (say the database went away at
    /// the same moment) does not hold the process.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkProcess(this WebApplicationBuilder builder, string processName)
    {
        builder.AddTeamTalkLogging(processName);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return builder;
    }
}
