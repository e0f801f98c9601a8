using System.Security.Claims;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MealPlanner.Api.Auth;

/// <summary>
/// Session tokens ended by log-out: each token's id (<c>jti</c>) is kept until the token would have expired, and a
/// token whose id is here no longer authenticates. Held in <see cref="IDistributedCache"/>: in memory for one
/// instance (the sample), Redis or SQL Server for several, without code changes. Only the id is stored, never the token.
/// </summary>
internal sealed class RevokedSessions(IDistributedCache cache, TimeProvider time)
{
    // Tokens stay valid this long past their expiry (the validator's clock skew), so the entry must outlive them by as much.
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly byte[] Marker = [1];

    /// <summary>Ends the session of <paramref name="principal"/>'s token; a token without an id or expiry cannot be tracked and is left alone.</summary>
    public async Task RevokeAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (Id(principal) is not { } id || !long.TryParse(principal.FindFirst(JwtRegisteredClaimNames.Exp)?.Value, out var exp))
        {
            return;
        }

        // Relative to the app's clock, which issued the token (tests pin it), not the cache's wall clock.
        var left = DateTimeOffset.FromUnixTimeSeconds(exp) - time.GetUtcNow() + Skew;
        if (left > TimeSpan.Zero)
        {
            await cache.SetAsync(Key(id), Marker, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = left }, cancellationToken);
        }
    }

    /// <summary>Whether the session of <paramref name="principal"/>'s token was ended by log-out.</summary>
    public async Task<bool> IsRevokedAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken)
        => Id(principal) is { } id && await cache.GetAsync(Key(id), cancellationToken) is not null;

    private static string? Id(ClaimsPrincipal? principal) => principal?.FindFirst(JwtRegisteredClaimNames.Jti)?.Value;

    private static string Key(string id) => "revoked-session:" + id;
}

/// <summary>The failure of a token whose session was ended by log-out.</summary>
internal sealed class SessionRevokedException : Exception
{
    public SessionRevokedException()
        : base("The session was ended by logging out.")
    {
    }

    public SessionRevokedException(string message)
        : base(message)
    {
    }

    public SessionRevokedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
