using System.Diagnostics;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>What a run of the built Admin tool printed and returned.</summary>
internal sealed record AdminRun(int ExitCode, string Output, string Errors);

/// <summary>Runs the built Admin tool (TeamTalk.Orleans.Admin.dll) as an operator would.</summary>
internal static class AdminTool
{
    public static async Task<AdminRun> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(TestSettings.AdminDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new AdminRun(process.ExitCode, await output, await errors);
    }
}
