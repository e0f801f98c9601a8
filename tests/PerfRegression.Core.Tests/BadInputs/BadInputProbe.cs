using System.Diagnostics;
using PerfRegression.Checks;
using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.BadInputs;

/// <summary>How the library answered a bad input.</summary>
internal enum BadInputOutcome
{
    /// <summary>One of the product's exceptions, with every expected piece of text in its message.</summary>
    Specific,

    /// <summary>One of the product's exceptions, but its message lacks an expected piece.</summary>
    Vague,

    /// <summary>The act returned normally: the bad input was accepted without a word.</summary>
    SilentPass,

    /// <summary>An exception that is not the product's own (NullReferenceException, a raw ArgumentOutOfRangeException...).</summary>
    Crash,

    /// <summary>The act did not end within the probe's time limit.</summary>
    Hang,
}

/// <summary>What one probe found: the outcome, the exception if any, and how long the act took.</summary>
internal sealed record BadInputAnswer(BadInput Input, BadInputOutcome Outcome, Exception? Exception, TimeSpan Elapsed)
{
    /// <summary>A line for a failure message or a report: the key, the outcome and the message received.</summary>
    public string Describe()
        => $"{Input.Key} -> {Outcome} after {Elapsed.TotalMilliseconds:0} ms"
            + (Exception is null ? "" : $"{Environment.NewLine}  {Exception.GetType().Name}: {Exception.Message}")
            + (Outcome == BadInputOutcome.Specific ? "" : $"{Environment.NewLine}  expected: {string.Join(" | ", Input.Expected)}");
}

/// <summary>Gives one bad input to the library and classifies the answer.</summary>
internal static class BadInputProbe
{
    /// <summary>Long enough for a short load run that must fail; an act still running after it counts as a hang.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    public static async Task<BadInputAnswer> AskAsync(BadInput input, TimeSpan? timeLimit = null)
    {
        var clock = Stopwatch.StartNew();
        Task act;
        try
        {
            act = Task.Run(input.Act);
        }
        catch (Exception e)
        {
            return Classify(input, e, clock.Elapsed);
        }

        var finished = await Task.WhenAny(act, Task.Delay(timeLimit ?? TimeLimit)).ConfigureAwait(false);
        if (finished != act)
        {
            return new BadInputAnswer(input, BadInputOutcome.Hang, null, clock.Elapsed);
        }

        try
        {
            await act.ConfigureAwait(false);
            return new BadInputAnswer(input, BadInputOutcome.SilentPass, null, clock.Elapsed);
        }
        catch (Exception e)
        {
            return Classify(input, e, clock.Elapsed);
        }
    }

    private static BadInputAnswer Classify(BadInput input, Exception exception, TimeSpan elapsed)
    {
        if (!IsProducts(exception))
        {
            return new BadInputAnswer(input, BadInputOutcome.Crash, exception, elapsed);
        }

        var message = exception.Message;
        var specific = input.Expected.Length > 0 && input.Expected.All(piece => message.Contains(piece, StringComparison.Ordinal));
        return new BadInputAnswer(input, specific ? BadInputOutcome.Specific : BadInputOutcome.Vague, exception, elapsed);
    }

    /// <summary>The exceptions through which the library speaks to its users; anything else escaping is a crash.</summary>
    private static bool IsProducts(Exception exception) => exception is PerfConfigurationException or PerfCheckException or BaselineException or PostgresUnavailableException;
}
