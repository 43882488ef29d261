using System.Globalization;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>The server processes to measure: given as <c>--pids silo=1,gateway=2,mariadb=3,redis=4</c> or found in /proc.</summary>
internal static class ServerProcesses
{
    public static readonly string[] Roles = ["gateway", "silo", "mariadb", "redis"];

    /// <summary>Parses <c>role=pid[,role=pid…]</c>; a role may repeat (several gateways or silos).</summary>
    public static List<ServerProcess> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<ServerProcess>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var role = eq > 0 ? part[..eq].Trim().ToLowerInvariant() : string.Empty;
            if (eq <= 0 || !Roles.Contains(role)
                || !int.TryParse(part[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            {
                throw new UsageException($"--pids: '{part}' is not role=pid with role one of {string.Join('/', Roles)}");
            }

            result.Add(new ServerProcess(role, pid));
        }

        return result;
    }

    /// <summary>The role a command line belongs to, or null.</summary>
    public static string? RoleOf(string commandLine, string comm)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(comm);
        if (commandLine.Contains("TeamTalk.Orleans.Gateway", StringComparison.Ordinal))
        {
            return "gateway";
        }

        if (commandLine.Contains("TeamTalk.Orleans.Silo", StringComparison.Ordinal))
        {
            return "silo";
        }

        return comm switch
        {
            "mariadbd" or "mysqld" => "mariadb",
            "redis-server" => "redis",
            _ => null,
        };
    }

    /// <summary>
    /// Finds the servers in /proc by command line. Fails when a role matches several processes (other instances run on
    /// this machine: pass --pids instead).
    /// </summary>
    public static List<ServerProcess> Discover()
    {
        var found = new List<ServerProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }

            if (RoleOf(ProcStat.CommandLine(pid), comm) is { } role)
            {
                found.Add(new ServerProcess(role, pid));
            }
        }

        foreach (var group in found.GroupBy(p => p.Role).Where(g => g.Count() > 1 && g.Key is "mariadb" or "redis"))
        {
            throw new UsageException(
                $"--discover-pids: several {group.Key} processes run here ({string.Join(", ", group.Select(p => p.Pid))}); pass --pids role=pid,…");
        }

        return found;
    }
}
