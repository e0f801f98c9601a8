using Perf.Events.Tests.Support;

namespace Perf.Events.Tests.Performance;

/// <summary>The event platform under load for one test class, on its own copy of the seeded database.</summary>
public sealed class EventsApp(EventsDatabase database) : EventPlatformHost(database);
