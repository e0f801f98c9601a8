namespace PerfRegression.PostgreSql;

/// <summary>
/// One statement that ran many times within single requests of one route: an N+1 pattern.
/// <see cref="ToString"/> says what, how often and how to fix it, in one sentence.
/// </summary>
public sealed class QueryRepetition
{
    internal QueryRepetition(
        string route,
        string statement,
        string fingerprint,
        int maxCount,
        int medianCount,
        int requests,
        int repeatingRequests,
        int threshold,
        string? allowedBecause)
    {
        Route = route;
        Statement = statement;
        Fingerprint = fingerprint;
        MaxCount = maxCount;
        MedianCount = medianCount;
        Requests = requests;
        RepeatingRequests = repeatingRequests;
        Threshold = threshold;
        AllowedBecause = allowedBecause;
        Description = Describe();
    }

    /// <summary>The route whose requests ran the statement.</summary>
    public string Route { get; }

    /// <summary>The normalised statement.</summary>
    public string Statement { get; }

    /// <summary>The statement's fingerprint (<see cref="SqlNormalizer.Fingerprint"/>), for an allow-list.</summary>
    public string Fingerprint { get; }

    /// <summary>The most times one request ran the statement.</summary>
    public int MaxCount { get; }

    /// <summary>
    /// The median of how often each request of the route ran it, requests that did not run it counted as 0
    /// (nearest rank: the lower middle value of an even count).
    /// </summary>
    public int MedianCount { get; }

    /// <summary>How many requests of the route were recorded.</summary>
    public int Requests { get; }

    /// <summary>How many of them ran the statement at least <see cref="Threshold"/> times.</summary>
    public int RepeatingRequests { get; }

    /// <summary>The <see cref="QueryRepetitionOptions.RepeatThreshold"/> the statement was judged by.</summary>
    public int Threshold { get; }

    /// <summary>Why the repetition is deliberate, from the allow-list; <see langword="null"/> when it is a finding.</summary>
    public string? AllowedBecause { get; }

    /// <summary>
    /// One sentence, e.g. <c>GET /shopping: "SELECT … FROM recipe_ingredients WHERE recipe_id = ?" ran 21 times in
    /// one request (median 21 over 180 requests): an N+1 pattern; load these rows in one query (JOIN or WHERE
    /// recipe_id = ANY(?)).</c>
    /// </summary>
    public string Description { get; }

    /// <summary>The <see cref="Description"/>, followed by the allow-list's reason when there is one.</summary>
    public override string ToString() => AllowedBecause is null ? Description : $"{Description} Allowed: {AllowedBecause}";

    private string Describe()
    {
        var spread = $"median {MedianCount} over {QueryFormatting.Plural(Requests, "request", "requests")}";
        if (RepeatingRequests < Requests)
        {
            spread += $"; {QueryFormatting.Count(RepeatingRequests)} of them ran it {Threshold} or more times";
        }

        return $"{Route}: \"{SqlText.Shorten(Statement, 80)}\" ran {QueryFormatting.Count(MaxCount)} times in one request ({spread}): {Advice()}.";
    }

    private string Advice()
    {
        var key = SqlText.KeyColumn(Statement);
        var anyKey = key is null ? "… = ANY(?)" : key + " = ANY(?)";
        var verb = SqlText.Verb(Statement);
        if (verb == "SELECT" && !Statement.Contains(" FROM ", StringComparison.OrdinalIgnoreCase))
        {
            verb = "SELECT without FROM"; // a function call such as pg_advisory_xact_lock(?): no rows to load together
        }

        return verb switch
        {
            "SELECT" => key is null
                ? "an N+1 pattern; load these rows in one query (a JOIN, or one WHERE … = ANY(?) for all keys)"
                : $"an N+1 pattern; load these rows in one query (JOIN or WHERE {anyKey})",
            "INSERT" => "one INSERT per row; insert the rows in one statement (multi-row VALUES or COPY) or batch the commands",
            "UPDATE" => $"one UPDATE per row; update the rows in one statement (WHERE {anyKey})",
            "DELETE" => $"one DELETE per row; delete the rows in one statement (WHERE {anyKey})",
            _ => "the same statement repeats within one request; combine the calls or cache the result",
        };
    }
}
