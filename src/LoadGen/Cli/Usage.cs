namespace TeamTalk.Orleans.LoadGen.Cli;

/// <summary>The help text.</summary>
internal static class Usage
{
    public const string Text = "usage: loadgen COMMAND [options]   (see docs/benchmarks.md)";
}
