using Perf.Events.Tests.Support;
using Xunit.Sdk;
using Xunit.v3;

// Load runs share a 2-core machine: one test at a time.
[assembly: Parallelization(Mode = ParallelMode.None)]

// One PostgreSQL server for the assembly, seeded once; each test class copies the seeded template.
[assembly: AssemblyFixture(typeof(EventsDatabase))]
