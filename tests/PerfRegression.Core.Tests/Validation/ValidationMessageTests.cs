using PerfRegression.Engine;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Validation;

/// <summary>Every validation message, verbatim: they are part of the product.</summary>
public sealed class ValidationMessageTests
{
    private static readonly ILoadTarget Target = LoadTarget.FromClientFactory("nowhere", () => new HttpClient());
    private static readonly Scenario Valid = Scenario.Create("s").Get("a", "/a");

    private static PerfConfigurationException Invalid(Scenario? scenario, LoadProfile? profile, LoadOptions? options = null)
    {
        var act = () => LoadRunner.Validate(Target, scenario, profile, options ?? new LoadOptions());
        return act.Should().Throw<PerfConfigurationException>().Which;
    }

    [Fact]
    public void Zero_users_and_zero_duration_are_listed_together()
    {
        Invalid(Valid, LoadProfile.Users(0, TimeSpan.Zero)).Message.Should().Be(
            """
            The load test 's' has 2 problems:
            - Users is 0; at least 1 virtual user is needed. Pass the number of concurrent users, e.g. LoadProfile.Users(10, TimeSpan.FromSeconds(10)).
            - Duration is 0 ms; it must be greater than zero. Pass how long to measure, e.g. TimeSpan.FromSeconds(10).
            """.ReplaceLineEndings());
    }

    [Fact]
    public void A_ramp_longer_than_the_run_names_both_values()
    {
        Invalid(Valid, LoadProfile.Users(100, TimeSpan.FromSeconds(10), rampUp: TimeSpan.FromSeconds(30))).Problems.Should().Equal(
            "Ramp-up is 30 s, longer than the run's duration of 10 s. The ramp-up counts inside the duration: shorten it or lengthen the run.");
    }

    [Fact]
    public void Invalid_stages_are_each_named()
    {
        Invalid(Valid, LoadProfile.Stages(new Stage(TimeSpan.Zero, 10), new Stage(TimeSpan.FromSeconds(5), -1))).Problems.Should().Equal(
            "Stage 1 lasts 0 ms; a stage must last longer than zero. Give it a positive duration or remove it.",
            "Stage 2 targets -1 users; the target must be zero or more.");
        Invalid(Valid, LoadProfile.Stages()).Problems.Should().Equal(
            "The stage list is empty. Give at least one stage, e.g. new Stage(TimeSpan.FromSeconds(30), 100).");
        Invalid(Valid, LoadProfile.Stages(new Stage(TimeSpan.FromSeconds(5), 0))).Problems.Should().Equal(
            "Every stage targets 0 users, so no load would run. Give at least one stage a positive target.");
    }

    [Fact]
    public void Open_model_rates_must_be_finite_and_positive()
    {
        Invalid(Valid, LoadProfile.ConstantRate(double.NaN, TimeSpan.FromSeconds(5), 0)).Problems.Should().Equal(
            "The arrival rate is NaN/s; it must be a finite number greater than zero, e.g. 50 iterations per second.",
            "Max concurrency is 0; at least 1 iteration must be allowed in flight. Set it above the rate × expected latency, e.g. 64.");
        Invalid(Valid, LoadProfile.RampingRate(-1, 10, new RateStage(TimeSpan.FromSeconds(1), double.PositiveInfinity))).Problems.Should().Equal(
            "The start rate is -1/s; it must be a finite number, zero or more.",
            "Rate stage 1 targets Infinity/s; the target must be a finite number, zero or more.");
    }

    [Fact]
    public void Iterations_must_be_positive()
    {
        Invalid(Valid, LoadProfile.Iterations(2, 0)).Problems.Should().Equal(
            "Iterations per user is 0; each user must run at least 1 iteration.");
    }

    [Fact]
    public void Every_invalid_option_is_listed_in_one_message()
    {
        var options = new LoadOptions
        {
            Warmup = TimeSpan.FromSeconds(-1),
            RequestTimeout = TimeSpan.Zero,
            GracefulStop = TimeSpan.FromMilliseconds(-5),
            MaxDuration = TimeSpan.Zero,
            HistogramSignificantDigits = 6,
            RuntimeSampleInterval = TimeSpan.FromMilliseconds(1),
            SetupParallelism = 0,
            LateStartTolerance = TimeSpan.FromMilliseconds(-1),
        };

        Invalid(Valid, LoadProfile.Users(1, TimeSpan.FromSeconds(1)), options).Problems.Should().Equal(
            "Warmup is -1 s; it must be zero (no warm-up) or more.",
            "RequestTimeout is 0 ms; it must be greater than zero, e.g. TimeSpan.FromSeconds(30).",
            "GracefulStop is -5 ms; it must be zero or more.",
            "MaxDuration is 0 ms; it must be greater than zero.",
            "HistogramSignificantDigits is 6; it must be between 1 and 4 (2 keeps values within 1%).",
            "RuntimeSampleInterval is 1 ms; it must be at least 10 ms, or sampling itself disturbs the run.",
            "SetupParallelism is 0; at least 1 user must be able to run its setup.",
            "LateStartTolerance is -1 ms; it must be zero or more.");
    }

    [Fact]
    public void Huge_durations_user_counts_and_think_times_are_listed_instead_of_overflowing()
    {
        var scenario = Scenario.Create("soak").Get("a", "/a").WithThinkTime(ThinkTime.Fixed(TimeSpan.FromDays(2)));
        var options = new LoadOptions { RequestTimeout = TimeSpan.MaxValue, GracefulStop = TimeSpan.FromDays(30) };

        Invalid(scenario, LoadProfile.Users(int.MaxValue, TimeSpan.FromDays(60)), options).Problems.Should().Equal(
            "Scenario 'soak''s think time is 2880 min; it must be at most 24 h (longer waits overflow the timers). Split a longer soak into several runs.",
            "Users is 2147483647; at most 10000 are allowed in one process (each needs its own client and histograms). Spread more load over several machines, or use the open model.",
            "Duration is 86400 min; it must be at most 24 h (longer waits overflow the timers). Split a longer soak into several runs.",
            "RequestTimeout is 922337203685.478 s; it must be at most 24 h (longer waits overflow the timers). Split a longer soak into several runs.",
            "GracefulStop is 43200 min; it must be at most 24 h (longer waits overflow the timers). Split a longer soak into several runs.");
    }

    [Fact]
    public void A_warm_up_limit_shorter_than_one_slice_is_refused()
    {
        Invalid(Valid, LoadProfile.Users(1, TimeSpan.FromSeconds(1)), new LoadOptions { Warmup = TimeSpan.FromSeconds(2), MaxWarmup = TimeSpan.FromSeconds(1) }).Problems.Should().Equal(
            "MaxWarmup is 1 s, shorter than one warm-up slice (2 s). Make it at least as long as Warmup.");
    }

    [Fact]
    public void Scenario_problems_are_listed_with_profile_problems()
    {
        var scenario = Scenario.Create("journey").Get("a", "/a").Get("a", "/b")
            .WithThinkTime(ThinkTime.Between(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Invalid(scenario, LoadProfile.Users(0, TimeSpan.FromSeconds(1))).Problems.Should().Equal(
            "Scenario 'journey' has 2 steps named 'a'; step names are route names in the report and must be unique. Rename one.",
            "Scenario 'journey' has a think-time range from 2 s to 1 s; the maximum must not be below the minimum. Swap them.",
            "Users is 0; at least 1 virtual user is needed. Pass the number of concurrent users, e.g. LoadProfile.Users(10, TimeSpan.FromSeconds(10)).");
    }

    [Fact]
    public void A_scenario_without_steps_would_record_no_load()
    {
        Invalid(Scenario.Create("empty"), LoadProfile.Users(1, TimeSpan.FromSeconds(1))).Problems.Should().Equal(
            "Scenario 'empty' has no steps, so it would record no load. Add one with .Get(\"name\", \"/path\") or .Step(\"name\", ...).");
    }

    [Fact]
    public void Missing_parts_say_how_to_create_them()
    {
        var act = () => LoadRunner.Validate(null, null, null, new LoadOptions());
        act.Should().Throw<PerfConfigurationException>().Which.Problems.Should().Equal(
            "The target is null. Create one with LoadTarget.InMemory(factory), LoadTarget.Kestrel(factory) or LoadTarget.External(uri).",
            "The scenario is null. Create one with Scenario.Create(\"name\").Get(\"step\", \"/path\").",
            "The load profile is null. Create one with LoadProfile.Users(10, TimeSpan.FromSeconds(10)) or LoadProfile.ConstantRate(...).");
    }

    [Fact]
    public async Task A_malformed_request_line_shows_the_expected_form()
    {
        var act = () => Load.RunAsync(Target, "/plan", users: 1);
        await act.Should().ThrowAsync<PerfConfigurationException>().WithMessage("The request '/plan' is not of the form \"METHOD /path\", e.g. \"GET /plan?week=2026-11-23\".");
    }

    [Fact]
    public void An_empty_data_feed_is_refused()
    {
        var act = () => DataFeed.Circular(Array.Empty<string>());
        act.Should().Throw<PerfConfigurationException>().WithMessage("A data feed of String needs at least one item, but the sequence given was empty. Load the data before building the feed.");
    }

    [Fact]
    public void A_malformed_base_url_in_the_environment_is_refused()
    {
        var act = () => LoadTarget.FromEnvironment(() => Target, "PERF_TEST_BASE_URL_" + Guid.NewGuid().ToString("N"));
        act().Should().BeSameAs(Target, "an unset variable keeps the in-process target");

        var variable = "PERF_TEST_BASE_URL_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "staging");
        try
        {
            var bad = () => LoadTarget.FromEnvironment(() => Target, variable);
            bad.Should().Throw<PerfConfigurationException>().WithMessage($"The environment variable {variable} is 'staging', which is not an absolute URL. Set it to the deployment's base URL, e.g. https://staging.example.com/, or unset it to test in-process.");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Invalid_budgets_name_the_value_and_the_fix()
    {
        var report = Reports.Report("s", Reports.Route("a", [1]));
        var act = () => report.Evaluate(Budget.P95(-5), Budget.P99(double.NaN, "a"), Budget.ErrorRate(1.5), Budget.MinThroughput(0), Budget.Max(10, " "));
        act.Should().Throw<PerfConfigurationException>().Which.Problems.Should().Equal(
            "The p95 budget is -5 ms; a latency budget must be greater than zero milliseconds, e.g. p95: 500.",
            "The p99 budget on route 'a' is NaN; a budget must be a finite number. Give the limit you need, e.g. p95: 500 for 500 ms.",
            "The error-rate budget is 1.5; it is a ratio between 0 and 1 (0.01 = 1%).",
            "The throughput budget is 0/s; a minimum throughput must be greater than zero.",
            "The max budget names an empty route. Give the step's name, or leave Route unset to budget all routes together.");
    }
}
