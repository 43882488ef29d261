using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Login figures of one process.</summary>
internal sealed class LoginStats
{
    /// <summary>Login request sent → reply received.</summary>
    public LatencyHistogram Login { get; } = new();

    /// <summary>Discovery request (or TCP connect) started → login reply received: what a user waits for.</summary>
    public LatencyHistogram Setup { get; } = new();

    public long Ok;
    public long Refused;
    public long Timeouts;
    public long ConnectErrors;
    public long DiscoveryErrors;
    public string? FirstError;

    public long Failed => Volatile.Read(ref Refused) + Volatile.Read(ref Timeouts) + Volatile.Read(ref ConnectErrors) + Volatile.Read(ref DiscoveryErrors);

    public void AddTo(WorkerResult result)
    {
        result.Add("logins_ok", Volatile.Read(ref Ok));
        result.Add("logins_refused", Volatile.Read(ref Refused));
        result.Add("logins_timed_out", Volatile.Read(ref Timeouts));
        result.Add("connect_errors", Volatile.Read(ref ConnectErrors));
        result.Add("discovery_errors", Volatile.Read(ref DiscoveryErrors));
        result.Histograms["login"] = Login.ToData();
        result.Histograms["session_setup"] = Setup.ToData();
        if (FirstError is { } e)
        {
            result.Notes.Add("first login error: " + e);
        }
    }

    public void Error(ref long counter, string message)
    {
        Interlocked.Increment(ref counter);
        Interlocked.CompareExchange(ref FirstError, message, null);
    }
}
