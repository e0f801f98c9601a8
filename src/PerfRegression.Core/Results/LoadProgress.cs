using System.Globalization;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Where a running trial stands, reported every <see cref="LoadOptions.ProgressInterval"/> so a long hold is not
/// silent: the test's output gets one line each time (see <see cref="ToString"/>).
/// </summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Trial">The trial, from 1.</param>
/// <param name="Elapsed">Time since the measured phase began.</param>
/// <param name="Users">Closed model: the users active now; <see langword="null"/> for the open model.</param>
/// <param name="ArrivalsPerSecond">Iterations started per second over the last interval.</param>
/// <param name="Requests">Requests completed so far in this trial.</param>
/// <param name="Errors">Of those, the failed ones.</param>
/// <param name="P95Milliseconds">The slowest route's p95 over the last interval; <see langword="null"/> when nothing succeeded in it.</param>
public sealed record LoadProgress(string Scenario, int Trial, TimeSpan Elapsed, double? Users, double ArrivalsPerSecond, long Requests, long Errors, double? P95Milliseconds)
{
    /// <summary>The line written to the test's output, e.g. <c>shopping-list · trial 1 · 40 s · 100 users · 18,204 requests · 0 errors · p95 6.2 ms</c>.</summary>
    public override string ToString()
        => $"{Scenario} · trial {Trial.ToString(CultureInfo.InvariantCulture)} · {Formatting.Duration(Elapsed)} · "
            + (Users is { } users ? $"{Formatting.Count((long)Math.Round(users))} users" : $"{ArrivalsPerSecond.ToString("0.#", CultureInfo.InvariantCulture)} arrivals/s")
            + $" · {Formatting.Plural(Requests, "request", "requests")} · {Formatting.Plural(Errors, "error", "errors")}"
            + (P95Milliseconds is { } p95 ? $" · p95 {Formatting.Milliseconds(p95)}" : string.Empty);
}
