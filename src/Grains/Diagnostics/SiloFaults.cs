using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Diagnostics;

namespace TeamTalk.Orleans.Grains.Diagnostics;

/// <summary>
/// The silo's shared fault logs for failures that many grains hit at once when a dependency is down (one line with the
/// stack per fault, then a count per interval; see <see cref="FaultLog"/>).
/// </summary>
public sealed class SiloFaults(ILogger<SiloFaults> logger, TimeProvider time) : IDisposable
{
    /// <summary>Logins that could not read the user table.</summary>
    public FaultLog LoginReads { get; } = new("Logins (database reads)", logger, time);

    public void Dispose() => LoginReads.Dispose();
}
