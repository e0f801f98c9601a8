using ConsumerApi.Tests;
using Xunit.Sdk;
using Xunit.v3;

// Load runs share the machine: one test at a time.
[assembly: Parallelization(Mode = ParallelMode.None)]

// One PostgreSQL server for the assembly (a connection string, Testcontainers or the local binaries), seeded once.
[assembly: AssemblyFixture(typeof(ItemsDatabase))]
