
namespace PerfRegression;

/// <summary>Batched requests: several requests a page sends at once, timed as one step (k6's <c>http.batch</c>).</summary>
public sealed partial class Scenario
{
    /// <summary>
    /// Adds a step that sends every request <paramref name="requests"/> builds at once, through the user's client, and
    /// ends when the last response has been read: its latency is the batch's, as a page that loads them in parallel
    /// sees it. Every response is checked: a status of 400 or more that no <paramref name="checks"/> names
    /// (<see cref="Check.Status(int, int[])"/>) makes the step an error of that status, a failed check an error of kind
    /// <c>check 'name'</c>; the first one found is the step's error kind.
    /// </summary>
    /// <example><c>.Batch("dashboard", [u =&gt; new(HttpMethod.Get, "/plan"), u =&gt; new(HttpMethod.Get, "/shopping")], Check.Status(200))</c></example>
    /// <remarks>A missing or empty list of requests is reported when the run starts, with every other problem.</remarks>
    public Scenario Batch(string name, IReadOnlyList<Func<VirtualUser, HttpRequestMessage>> requests, params Check[] checks)
    {
        var builders = requests?.ToArray();
        var list = checks ?? [];
        var step = new ScenarioStep(name, request: null, builders is null ? null : (user, ct) => SendBatchAsync(name, builders, list, user, ct), [])
        {
            Problem = builders is null || builders.Length == 0
                ? "is a batch without requests. Give at least one, e.g. [u => new HttpRequestMessage(HttpMethod.Get, \"/plan\")]."
                : builders.Any(b => b is null) ? "has a null request builder in its batch. Remove it, or give the function that builds the request."
                : list.Any(c => c is null) ? "has a null check. Remove it, or create it with Check.Status(200) or Check.That(\"name\", r => ...)."
                : list.Select(c => c.Problem).FirstOrDefault(p => p is not null) is { } problem ? "has a check that cannot work: " + problem
                : null,
        };
        return Add(step);
    }

    private static async Task SendBatchAsync(string step, Func<VirtualUser, HttpRequestMessage>[] builders, Check[] checks, VirtualUser user, CancellationToken cancellationToken)
    {
        var requests = new HttpRequestMessage[builders.Length];
        try
        {
            for (var i = 0; i < builders.Length; i++)
            {
                requests[i] = builders[i](user);
                user.Aim(requests[i]);
            }

            var responses = await Task.WhenAll(requests.Select(r => ReadAsync(user.Http, r, cancellationToken))).ConfigureAwait(false);
            foreach (var (status, view) in responses)
            {
                if (Check.StatusError(status, checks) is { } kind)
                {
                    throw new InvalidStepException(kind, $"A request of batch '{step}' answered {status}.");
                }

                foreach (var check in checks)
                {
                    if (!check.Passes(view))
                    {
                        throw new InvalidStepException($"check '{check.Name}'", $"A response of batch '{step}' failed check '{check.Name}'.");
                    }
                }
            }
        }
        finally
        {
            foreach (var request in requests)
            {
                request?.Dispose();
            }
        }
    }

    private static async Task<(int Status, StepResponse View)> ReadAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, new StepResponse(response.StatusCode, response, body));
    }
}
