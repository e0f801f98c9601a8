using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Statistics;

public sealed class LatencyDistributionTests
{
    [Theory]
    [InlineData(50)]
    [InlineData(90)]
    [InlineData(95)]
    [InlineData(99)]
    [InlineData(99.9)]
    public void Percentiles_match_exact_computation_within_histogram_precision(double percentile)
    {
        // A skewed, seeded sample: mostly fast, with a long tail.
        var random = new Random(1234);
        var values = Enumerable.Range(0, 50_000).Select(_ => Math.Exp(random.NextDouble() * 6)).ToArray();
        var sorted = values.Order().ToArray();
        var exact = sorted[(int)Math.Ceiling(percentile / 100 * sorted.Length) - 1];

        var distribution = Reports.Distribution(values, significantDigits: 3);

        distribution.Percentile(percentile).Should().BeApproximately(exact, (exact * 0.001) + 0.002, "3 significant digits keep each value within 0.1% (plus the 1 µs unit)");
        distribution.Count.Should().Be(values.Length);
    }

    [Fact]
    public void Mean_max_and_min_match_exact_computation()
    {
        var values = Reports.Uniform(1000);
        var distribution = Reports.Distribution(values);

        distribution.Mean.Should().BeApproximately(values.Average(), values.Average() * 0.001);
        distribution.Max.Should().BeApproximately(1000, 1);
        distribution.Min.Should().BeApproximately(1, 0.001);
        distribution.P50.Should().BeApproximately(500, 0.5);
        distribution.P95.Should().BeApproximately(950, 0.95);
    }

    [Fact]
    public void Two_significant_digits_keep_values_within_one_percent()
    {
        var values = Reports.Uniform(10_000, scale: 0.37);
        var distribution = Reports.Distribution(values, significantDigits: 2);
        distribution.P95.Should().BeApproximately(values[9499], values[9499] * 0.01);
    }

    [Fact]
    public void Merging_is_exactly_the_union_of_the_samples()
    {
        var random = new Random(7);
        var a = Enumerable.Range(0, 3000).Select(_ => random.NextDouble() * 100).ToArray();
        var b = Enumerable.Range(0, 5000).Select(_ => 50 + (random.NextDouble() * 400)).ToArray();

        var merged = LatencyDistribution.Merge([Reports.Distribution(a), Reports.Distribution(b)]);
        var union = Reports.Distribution(a.Concat(b));

        merged.Count.Should().Be(8000);
        merged.Encode().Should().Be(union.Encode(), "merging histograms loses nothing");
        merged.P99.Should().Be(union.P99);
    }

    [Fact]
    public void Empty_distribution_has_no_percentiles()
    {
        LatencyDistribution.Empty.Count.Should().Be(0);
        LatencyDistribution.Empty.P95.Should().Be(double.NaN);
        LatencyDistribution.Empty.Percentile(50).Should().Be(double.NaN);
    }

    [Fact]
    public void Percentile_outside_0_to_100_is_rejected_with_the_value()
    {
        var act = () => Reports.Distribution([1]).Percentile(101);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A percentile is between 0 and 100, e.g. 95 for p95.*101*");
    }

    [Fact]
    public void Encoding_round_trips_exactly()
    {
        var original = Reports.Distribution(Reports.Uniform(777, 1.3));
        var decoded = LatencyDistribution.Decode(original.Encode());
        decoded.Count.Should().Be(original.Count);
        decoded.P99.Should().Be(original.P99);
        decoded.Encode().Should().Be(original.Encode());
    }

    [Fact]
    public void Corrupt_encoding_fails_with_a_format_error()
    {
        var act = () => LatencyDistribution.Decode("bm90IGEgaGlzdG9ncmFt");
        act.Should().Throw<FormatException>().WithMessage("The text is not a Base64 HdrHistogram*record it again.");
    }
}
