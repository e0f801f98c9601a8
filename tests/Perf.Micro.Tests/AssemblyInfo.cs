using Xunit.Sdk;
using Xunit.v3;

// A micro-benchmark measures this process: another test running beside it would count in its time and allocations.
[assembly: Parallelization(Mode = ParallelMode.None)]
