using Perf.Events.Tests.Support;

namespace Perf.Events.Tests.Functional;

/// <summary>The event platform for one functional test class, on its own copy of the seeded database.</summary>
public sealed class FunctionalApp(EventsDatabase database) : EventPlatformHost(database);
