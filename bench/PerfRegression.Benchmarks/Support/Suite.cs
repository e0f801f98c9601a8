namespace PerfRegression.Benchmarks.Support;

/// <summary>A named benchmark suite: it writes human-readable output as it goes and adds its figures.</summary>
internal sealed record Suite(string Name, string Summary, Func<Figures, CancellationToken, Task> RunAsync);
