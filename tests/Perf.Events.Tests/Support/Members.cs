using System.Net.Http.Headers;
using EventPlatform.Api.Data;
using EventPlatform.Api.Members;

namespace Perf.Events.Tests.Support;

/// <summary>
/// Hands out the seeded members in turn, each once until all 2,000 were used (then from the first again), and builds
/// their authorized requests: in a flash crowd every arrival is another member.
/// </summary>
/// <param name="tokens">The app's token issuer.</param>
public sealed class Members(MemberTokens tokens)
{
    private int _next;

    /// <summary>The next member's id.</summary>
    public int Next() => ((Interlocked.Increment(ref _next) - 1) % SeedData.Members) + 1;

    /// <summary>The bearer header of member <paramref name="memberId"/>.</summary>
    public AuthenticationHeaderValue Bearer(int memberId) => new("Bearer", tokens.Issue(memberId));

    /// <summary>The bearer header as a header dictionary, for a WebSocket upgrade.</summary>
    public IReadOnlyDictionary<string, string> Headers(int memberId) => new Dictionary<string, string> { ["Authorization"] = "Bearer " + tokens.Issue(memberId) };

    /// <summary>An RSVP by <paramref name="memberId"/> to <paramref name="eventId"/>.</summary>
    public HttpRequestMessage Rsvp(int eventId, int memberId)
        => new(HttpMethod.Post, $"/events/{eventId}/rsvps") { Headers = { Authorization = Bearer(memberId) } };
}
