using Xunit.Sdk;
using Xunit.v3;

// Load tests measure latency on a shared 2-core machine: one test at a time, or each distorts the
// others (the library also serializes load runs within a process). xunit v3 4.x replaced
// [CollectionBehavior(DisableTestParallelization = true)], now an obsolete error, with this attribute.
[assembly: Parallelization(Mode = ParallelMode.None)]

// The performance tests run before the functional tests, in a process like the one that recorded their baselines.
[assembly: TestCollectionOrderer(typeof(Perf.Api.Tests.Support.PerformanceTestsFirst))]

// One PostgreSQL server for the assembly, seeded once; each test class copies the seeded template.
[assembly: AssemblyFixture(typeof(Perf.Api.Tests.Support.MealPlannerDatabaseFixture))]
