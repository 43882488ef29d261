using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(TeamTalk.Orleans.Benchmarks.FramingBenchmarks).Assembly).Run(args);
