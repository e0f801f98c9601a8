using Xunit.Sdk;
using Xunit.v3;

// The result folders are made by real load runs: one at a time, so that each run's costs per request are its own
// (another run in the process at the same time would count in its CPU time and allocations, and the gate would not
// compare them).
[assembly: Parallelization(Mode = ParallelMode.None)]
