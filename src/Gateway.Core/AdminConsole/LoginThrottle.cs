using System.Net;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// Slows password guessing at the console's login: after <see cref="MaxFailures"/> failed logins from one remote
/// address within <see cref="Window"/>, further attempts from it are refused without checking the password until the
/// oldest of those failures is older than the window. A success clears the address. At most
/// <see cref="MaxAddresses"/> addresses are tracked (the stalest are forgotten first), so a flood cannot grow memory.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;

    public const int MaxAddresses = 10_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Lock gate = new();
    private readonly Dictionary<IPAddress, Queue<long>> failures = [];

    /// <summary>True when <paramref name="address"/> may try a password now.</summary>
    public bool Allows(IPAddress address)
    {
        lock (gate)
        {
            return !failures.TryGetValue(address, out var recent) || Prune(recent) < MaxFailures;
        }
    }

    /// <summary>Records a failed login from <paramref name="address"/>.</summary>
    public void Failed(IPAddress address)
    {
        lock (gate)
        {
            if (!failures.TryGetValue(address, out var recent))
            {
                if (failures.Count >= MaxAddresses)
                {
                    Forget();
                }

                failures[address] = recent = new Queue<long>();
            }

            Prune(recent);
            recent.Enqueue(time.GetTimestamp());
        }
    }

    /// <summary>Records a successful login: the address starts afresh.</summary>
    public void Succeeded(IPAddress address)
    {
        lock (gate)
        {
            failures.Remove(address);
        }
    }

    private int Prune(Queue<long> recent)
    {
        var now = time.GetTimestamp();
        while (recent.Count > 0 && time.GetElapsedTime(recent.Peek(), now) >= Window)
        {
            recent.Dequeue();
        }

        return recent.Count;
    }

    private void Forget()
    {
        foreach (var (address, recent) in failures.ToArray())
        {
            if (Prune(recent) == 0)
            {
                failures.Remove(address);
            }
        }

        if (failures.Count >= MaxAddresses)
        {
            failures.Remove(failures.MinBy(f => f.Value.Count == 0 ? long.MinValue : f.Value.Peek()).Key);
        }
    }
}
