using System.Globalization;

namespace PerfRegression.Benchmarks.Support;

/// <summary>A proportion with its Wilson 95% score interval (honest at 0 of n: the upper bound is ≈ 3.84 / (n + 3.84)).</summary>
internal readonly record struct Rate(int Successes, int Trials, double Value, double Lower, double Upper)
{
    private const double Z = 1.959964;

    public static Rate Of(int successes, int trials)
    {
        if (trials == 0)
        {
            return new Rate(0, 0, double.NaN, double.NaN, double.NaN);
        }

        double n = trials, p = successes / n, z2 = Z * Z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = Z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return new Rate(successes, trials, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Value:0.000} [{Lower:0.000}, {Upper:0.000}] {Successes}/{Trials}");
}
