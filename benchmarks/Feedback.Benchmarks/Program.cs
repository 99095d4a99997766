using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Feedback.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
