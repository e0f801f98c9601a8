using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MealPlanner.Api.Auth;

/// <summary>
/// The built-in rate limiter on <c>POST /auth/login</c>: a fixed window of <see cref="AuthOptions.LoginPermitLimit"/>
/// attempts per client address, no queue, so a guessing client is answered 429 at once instead of tying up the
/// password hasher. Behind a reverse proxy, enable forwarded headers so the address is the client's.
/// </summary>
internal static class LoginRateLimit
{
    /// <summary>The policy name the log-in endpoint requires.</summary>
    public const string Policy = "login";

    public static IServiceCollection AddLoginRateLimit(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.AddPolicy(Policy, context =>
        {
            var auth = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = auth.LoginPermitLimit, Window = auth.LoginWindow, QueueLimit = 0 });
        });
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var response = rejected.HttpContext.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : (TimeSpan?)null;
            if (wait is { } seconds)
            {
                response.Headers.RetryAfter = Math.Ceiling(seconds.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = rejected.HttpContext,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many log-in attempts.",
                    Detail = "Too many log-in attempts from this address. Wait " + (wait is { } w ? $"{Math.Ceiling(w.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s (Retry-After)" : "a minute") + " and try again.",
                },
            });
        };
    });
}
