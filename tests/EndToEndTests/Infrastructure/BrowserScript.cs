using System.Diagnostics;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// Runs one of the web/scripts browser scripts (headless Debian chromium under playwright-core; test.sh installs both)
/// and checks that it printed "<c>LABEL OK</c>". Their screenshots go to <see cref="Screenshots"/>, kept as test artifacts.
/// </summary>
internal static class BrowserScript
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(240);

    /// <summary>TestResults/screenshots under the repository root (created when missing).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(TestSettings.RepositoryRoot, "TestResults", "screenshots")).FullName;

    /// <summary>Runs <c>node scripts/<paramref name="script"/> arguments…</c> in web/ and asserts that it printed "<paramref name="label"/> OK".</summary>
    public static async Task RunAsync(string script, string label, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(TestSettings.RepositoryRoot, "web"),
        };
        startInfo.ArgumentList.Add(Path.Combine("scripts", script));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var browser = Process.Start(startInfo)!;
        var output = browser.StandardOutput.ReadToEndAsync();
        var errors = browser.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(Limit))
        {
            try
            {
                await browser.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                browser.Kill(entireProcessTree: true);
                Assert.Fail($"{script} did not finish in {Limit}: {await output} {await errors}");
            }
        }

        Assert.True(browser.ExitCode == 0, $"{script} failed ({browser.ExitCode}): {await output} {await errors}");
        Assert.Contains($"{label} OK", await output, StringComparison.Ordinal);
    }
}
