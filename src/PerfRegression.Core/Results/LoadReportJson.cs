using System.Text.Json;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// The report's JSON form. Property order is fixed by the DTOs, dictionaries are sorted, numbers are
/// written invariantly, and every histogram is included in HdrHistogram's compressed encoding.
/// </summary>
internal static class LoadReportJson
{
    public const int SchemaVersion = 1;

    private static JsonSerializerOptions Options => JsonFormat.Options;

    public static string Serialize(LoadReport report)
    {
        var dto = new ReportDto
        {
            SchemaVersion = SchemaVersion,
            Scenario = report.Scenario,
            Target = report.Target,
            LoadProfile = report.LoadProfile,
            OpenModel = report.OpenModel,
            MaxConcurrency = report.MaxConcurrency,
            StartedAt = report.StartedAt,
            DurationSeconds = report.Duration.TotalSeconds,
            Runs = report.Runs,
            Iterations = report.Iterations,
            DroppedIterations = report.DroppedIterations,
            DelayedStarts = report.DelayedStarts,
            InterruptedIterations = report.InterruptedIterations,
            Routes = report.Routes.Select(ToDto).ToList(),
            Overall = ToDto(report.Overall),
            Metrics = report.Metrics.Select(m => new MetricDto
            {
                Name = m.Name,
                Kind = m.Kind.ToString(),
                Trend = m.Trend is null ? null : ToDto(m.Trend),
                Trues = m.Kind == CustomMetricKind.Rate ? m.Trues : null,
                Total = m.Kind == CustomMetricKind.Rate ? m.Total : null,
                Sum = m.Kind == CustomMetricKind.Counter ? m.Sum : null,
            }).ToList(),
            Runtime = report.Runtime,
            Resources = report.Resources,
            Warnings = report.Warnings.ToList(),
            Timeline = report.Timeline,
            Memory = report.Memory,
            ResourceSamples = report.ResourceSamples,
            Recovery = report.Recovery,
            Aborted = report.Aborted,
            RanWith = report.RanWith.Count == 0 ? null : report.RanWith.ToList(),
        };
        return JsonSerializer.Serialize(dto, Options);
    }

    public static LoadReport Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ReportDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<ReportDto>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The text is not a load report: {ex.Message}", ex);
        }

        if (dto is null)
        {
            throw new FormatException("The text is not a load report: it is the JSON literal null.");
        }

        if (dto.SchemaVersion != SchemaVersion)
        {
            throw new FormatException($"The load report has schema version {dto.SchemaVersion}, but this version of PerfRegression reads version {SchemaVersion}. Record it again with this version, or upgrade PerfRegression.");
        }

        var duration = TimeSpan.FromSeconds(dto.DurationSeconds);
        var routes = (dto.Routes ?? []).Select(r => FromDto(r, duration)).ToArray();
        var metrics = (dto.Metrics ?? []).Select(m =>
        {
            if (!Enum.TryParse<CustomMetricKind>(m.Kind, out var kind))
            {
                throw new FormatException($"Custom metric '{m.Name}' has kind '{m.Kind}'; known kinds are Trend, Rate and Counter.");
            }

            return new CustomMetricSummary(m.Name ?? string.Empty, kind, m.Trend is null ? null : FromDto(m.Trend), m.Trues ?? 0, m.Total ?? 0, m.Sum ?? 0, duration);
        }).ToArray();
        return new LoadReport(
            dto.Scenario ?? string.Empty,
            dto.Target ?? string.Empty,
            dto.LoadProfile ?? dto.Profile ?? string.Empty,
            dto.OpenModel,
            dto.MaxConcurrency,
            dto.StartedAt,
            duration,
            dto.Iterations,
            dto.DroppedIterations,
            dto.DelayedStarts,
            dto.InterruptedIterations,
            routes,
            metrics,
            dto.Runtime,
            dto.Warnings ?? [],
            Math.Max(dto.Runs, 1))
        {
            Timeline = dto.Timeline,
            Memory = dto.Memory,
            ResourceSamples = dto.ResourceSamples,
            Recovery = dto.Recovery,
            Aborted = dto.Aborted,
            RanWith = dto.RanWith ?? [],
        };
    }

    private static RouteDto ToDto(RouteStatistics route) => new()
    {
        Name = route.Name,
        Count = route.Count,
        Errors = route.Errors,
        ErrorRate = route.ErrorRate,
        Throughput = route.Throughput,
        ErrorsByKind = new SortedDictionary<string, long>(route.ErrorsByKind.ToDictionary(), StringComparer.Ordinal),
        Checks = route.Checks.Select(c => new CheckDto { Name = c.Name, Passes = c.Passes, Failures = c.Failures }).ToList(),
        Latency = ToDto(route.Latency),
        FailedLatency = route.FailedLatency.Count == 0 ? null : ToDto(route.FailedLatency),
        ServiceTime = route.ServiceTime is null ? null : ToDto(route.ServiceTime),
        ResponseBytes = route.ResponseBytes,
        Group = route.Group,
        Tags = route.Tags.Count == 0 ? null : new SortedDictionary<string, string>(route.Tags.ToDictionary(), StringComparer.Ordinal),
    };

    private static RouteStatistics FromDto(RouteDto dto, TimeSpan duration)
    {
        var latency = FromDto(dto.Latency ?? throw new FormatException($"Route '{dto.Name}' has no latency histogram."));
        return new RouteStatistics(
            dto.Name ?? string.Empty,
            latency,
            dto.ServiceTime is null ? null : FromDto(dto.ServiceTime),
            dto.Errors,
            dto.ErrorsByKind ?? new SortedDictionary<string, long>(StringComparer.Ordinal),
            (dto.Checks ?? []).Select(c => new CheckStatistics(c.Name ?? string.Empty, c.Passes, c.Failures)).ToArray(),
            duration,
            dto.FailedLatency is null ? null : FromDto(dto.FailedLatency))
        {
            ResponseBytes = dto.ResponseBytes,
            Group = dto.Group,
            Tags = dto.Tags ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
    }

    private static DistributionDto ToDto(LatencyDistribution d) => new()
    {
        Count = d.Count,
        P50 = Round(d.P50),
        P90 = Round(d.P90),
        P95 = Round(d.P95),
        P99 = Round(d.P99),
        P999 = Round(d.P999),
        Max = Round(d.Max),
        Mean = Round(d.Mean),
        Histogram = d.Encode(),
    };

    // The histogram is the source of truth; percentiles are written for people reading the file.
    private static LatencyDistribution FromDto(DistributionDto dto)
    {
        if (string.IsNullOrEmpty(dto.Histogram))
        {
            throw new FormatException("A latency distribution has no encoded histogram; the file was edited or truncated. Record it again.");
        }

        return LatencyDistribution.Decode(dto.Histogram);
    }

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 3);

    private sealed class ReportDto
    {
        public int SchemaVersion { get; set; }

        public string? Scenario { get; set; }

        public string? Target { get; set; }

        public string? LoadProfile { get; set; }

        // The name LoadProfile had before it was renamed: read from older reports, never written (nulls are left out).
        public string? Profile { get; set; }

        public bool OpenModel { get; set; }

        public int MaxConcurrency { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        public double DurationSeconds { get; set; }

        public int Runs { get; set; }

        public long Iterations { get; set; }

        public long DroppedIterations { get; set; }

        public long DelayedStarts { get; set; }

        public long InterruptedIterations { get; set; }

        public List<RouteDto>? Routes { get; set; }

        public RouteDto? Overall { get; set; }

        public List<MetricDto>? Metrics { get; set; }

        public RuntimeHealth? Runtime { get; set; }

        // Written for readers of the JSON; recomputed from Runtime on reading.
        public ResourceUsage? Resources { get; set; }

        public List<string>? Warnings { get; set; }

        public Timeline? Timeline { get; set; }

        public MemoryUsage? Memory { get; set; }

        public IReadOnlyList<ResourceSample>? ResourceSamples { get; set; }

        public LoadRecovery? Recovery { get; set; }

        public LoadAbort? Aborted { get; set; }

        public List<string>? RanWith { get; set; }
    }

    private sealed class RouteDto
    {
        public string? Name { get; set; }

        public long Count { get; set; }

        public long Errors { get; set; }

        public double ErrorRate { get; set; }

        public double Throughput { get; set; }

        public SortedDictionary<string, long>? ErrorsByKind { get; set; }

        public List<CheckDto>? Checks { get; set; }

        public DistributionDto? Latency { get; set; }

        public DistributionDto? FailedLatency { get; set; }

        public DistributionDto? ServiceTime { get; set; }

        public long? ResponseBytes { get; set; }

        public string? Group { get; set; }

        public SortedDictionary<string, string>? Tags { get; set; }
    }

    private sealed class CheckDto
    {
        public string? Name { get; set; }

        public long Passes { get; set; }

        public long Failures { get; set; }
    }

    private sealed class DistributionDto
    {
        public long Count { get; set; }

        public double? P50 { get; set; }

        public double? P90 { get; set; }

        public double? P95 { get; set; }

        public double? P99 { get; set; }

        public double? P999 { get; set; }

        public double? Max { get; set; }

        public double? Mean { get; set; }

        public string? Histogram { get; set; }
    }

    private sealed class MetricDto
    {
        public string? Name { get; set; }

        public string? Kind { get; set; }

        public DistributionDto? Trend { get; set; }

        public long? Trues { get; set; }

        public long? Total { get; set; }

        public double? Sum { get; set; }
    }
}
