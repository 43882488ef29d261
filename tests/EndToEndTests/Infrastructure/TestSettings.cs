namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>What the test command (test.sh) provides: a real MariaDB server on loopback, and server binaries (redis-server among them).</summary>
internal static class TestSettings
{
    /// <summary>Root connection string (no database) of the MariaDB started by the test command.</summary>
    public static string MySqlAdmin => Required("TT_TEST_MYSQL");

    /// <summary>The repository root (…/tests/EndToEndTests/bin/&lt;Configuration&gt;/net10.0 is five levels below it).</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    /// <summary>The build configuration the tests were built with (the built servers are taken from the same one).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => BuiltDll("Silo", "TeamTalk.Orleans.Silo.dll");

    public static string GatewayDll => BuiltDll("Gateway", "TeamTalk.Orleans.Gateway.dll");

    public static string AdminDll => BuiltDll("Admin", "TeamTalk.Orleans.Admin.dll");

    /// <summary>Where process logs of a test run are written.</summary>
    public static string LogDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(AppContext.BaseDirectory, "server-logs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture))).FullName;

    private static string BuiltDll(string project, string dll)
    {
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: build the solution ({Configuration}) before running the end-to-end tests.");
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through ./test.sh, which starts MariaDB and exports it.");
}
