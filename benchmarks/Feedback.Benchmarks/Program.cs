using BenchmarkDotNet.Running;
using Feedback.Benchmarks;

// dotnet run -c Release --project benchmarks/Feedback.Benchmarks -- --filter '*'
// dotnet benchmarks/Feedback.Benchmarks/bin/Release/net10.0/Feedback.Benchmarks.dll instructions TrackReaction 200000
if (args is ["instructions", var name, var count]) InstructionDriver.Run(name, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
