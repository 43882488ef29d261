using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// Free loopback TCP ports for the servers a test starts. They are chosen outside the kernel's ephemeral range: a port
/// from that range can be taken by any outgoing connection between the check and the server's own bind.
/// </summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Handed = [];
    private static readonly (int From, int To) Range = ChooseRange();

    public static int Next()
    {
        lock (Handed)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Range.From, Range.To + 1);
                if (!Handed.Contains(port) && CanBind(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }

            throw new InvalidOperationException($"no free loopback port in {Range.From}-{Range.To}");
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int From, int To) ChooseRange()
    {
        var (low, high) = (32768, 60999);
        const string file = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(file))
        {
            var parts = File.ReadAllText(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h))
            {
                (low, high) = (l, h);
            }
        }

        return low > 11024 ? (10000, low - 1) : (high + 1, 65000);
    }
}
