using System.Globalization;

namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>Reads /proc/&lt;pid&gt;/stat and /proc/&lt;pid&gt;/status (Linux).</summary>
internal static class ProcStat
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/&lt;pid&gt;/stat, fixed at 100 by the Linux ABI.</summary>
    public const int TicksPerSecond = 100;

    /// <summary>utime + stime (clock ticks) from the text of /proc/&lt;pid&gt;/stat; the command name may hold spaces and parentheses.</summary>
    public static long ParseCpuTicks(string statText)
    {
        ArgumentNullException.ThrowIfNull(statText);
        var close = statText.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("no ')' in /proc/<pid>/stat");
        }

        // Fields after the command name start at field 3 (state); utime is field 14, stime field 15.
        var fields = statText[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13)
        {
            throw new FormatException("too few fields in /proc/<pid>/stat");
        }

        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>VmRSS in KiB from the text of /proc/&lt;pid&gt;/status (0 when absent, as for zombies).</summary>
    public static long ParseRssKiB(string statusText)
    {
        ArgumentNullException.ThrowIfNull(statusText);
        foreach (var line in statusText.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var parts = line["VmRSS:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public static ProcSample Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var status = File.ReadAllText($"/proc/{pid}/status");
            return new ProcSample(pid, ParseCpuTicks(stat), ParseRssKiB(status), true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return new ProcSample(pid, 0, 0, false);
        }
    }

    /// <summary>The command line of a process with NULs as spaces (empty when unreadable).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
