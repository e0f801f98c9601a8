using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// Leak detection for an xUnit v3 test, usually a soak: <c>[Fact, LeakCheck]</c>, or with stated rates
/// <c>[LeakCheck(HeapMegabytesPerMinute = 5)]</c>. Each load run of the test samples the heap after a full collection,
/// open handles, threads and database connections every <see cref="SampleIntervalSeconds"/> (each sample pauses the
/// process for that collection), and a resource whose growth is significant and beyond its rate fails the test with
/// how fast it grew (see <see cref="LeakCheck"/>). A trend needs a run of about 40 s or more at the default interval;
/// run soaks under <c>PERF_PROFILE=soak</c>. The heap is the whole process's: run such tests alone (an xUnit
/// collection with <c>DisableParallelization = true</c>). Adds the trait <c>Category=Performance</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class LeakCheckAttribute : PerfCheckAttribute
{
    private static readonly LeakCheck Defaults = new();

    /// <summary>Heap growth per minute, in megabytes (1 MB = 1,048,576 bytes), beyond which significant growth is a leak. Default 1.</summary>
    public double HeapMegabytesPerMinute { get; set; } = Defaults.HeapBytesPerMinute / (1024 * 1024);

    /// <summary>Open handles gained per minute beyond which significant growth is a leak. Default 10.</summary>
    public double HandlesPerMinute { get; set; } = Defaults.HandlesPerMinute;

    /// <summary>Threads gained per minute beyond which significant growth is a leak. Default 5.</summary>
    public double ThreadsPerMinute { get; set; } = Defaults.ThreadsPerMinute;

    /// <summary>Database connections gained per minute beyond which significant growth is a leak. Default 1.</summary>
    public double DatabaseConnectionsPerMinute { get; set; } = Defaults.DatabaseConnectionsPerMinute;

    /// <summary>Seconds between samples. Default 5.</summary>
    public double SampleIntervalSeconds { get; set; } = Defaults.SampleInterval.TotalSeconds;

    /// <summary>The check this attribute states.</summary>
    public LeakCheck Check => new()
    {
        HeapBytesPerMinute = HeapMegabytesPerMinute * 1024 * 1024,
        HandlesPerMinute = HandlesPerMinute,
        ThreadsPerMinute = ThreadsPerMinute,
        DatabaseConnectionsPerMinute = DatabaseConnectionsPerMinute,
        SampleInterval = double.IsFinite(SampleIntervalSeconds) && SampleIntervalSeconds is > 0 and < 86_400 ? TimeSpan.FromSeconds(SampleIntervalSeconds) : TimeSpan.Zero,
    };

    /// <summary>Every rate greater than zero, an interval between 100 ms and an hour.</summary>
    protected override IReadOnlyList<string> Validate() => Check.Validate();

    /// <summary>Adds the check to the test's session, whose runs then take the samples.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AddCheck(Check);
    }
}
