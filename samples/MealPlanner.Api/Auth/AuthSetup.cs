using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MealPlanner.Api.Auth;

/// <summary>Session authentication: JwtBearer validating the token from the session cookie, with problem-details challenges.</summary>
internal static class AuthSetup
{
    // Allows for clocks of several app instances a little apart; small, so an expired session ends promptly.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddMealPlannerAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<SessionTokens>();
        services.AddDistributedMemoryCache();
        services.AddSingleton<RevokedSessions>();
        services.AddLoginRateLimit();
        services.AddScoped<LoginService>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, TimeProvider>((bearer, auth, time) => Configure(bearer, auth.Value, time));
        services.AddAuthorization();
        return services;
    }

    private static void Configure(JwtBearerOptions bearer, AuthOptions auth, TimeProvider time)
    {
        // Keep "sub" and "email" as they are in the token instead of mapping them to long WS-* claim types.
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = SessionTokens.Issuer,
            ValidAudience = SessionTokens.Issuer,
            IssuerSigningKey = SessionTokens.Key(auth),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            NameClaimType = JwtRegisteredClaimNames.Email,

            // Lifetime by the app's TimeProvider, the clock that issued the token (tests pin it), not the wall clock.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                if (expires is not { } end || now - ClockSkew >= end)
                {
                    throw new SecurityTokenExpiredException("The session token has expired.") { Expires = expires ?? DateTime.MinValue };
                }

                return notBefore is not { } start || start <= now + ClockSkew;
            },
        };

        bearer.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (context.Request.Cookies.TryGetValue(SessionTokens.CookieName, out var token) && !string.IsNullOrEmpty(token))
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = async context =>
            {
                if (CurrentUser.TryGetId(context.Principal, out _) is false)
                {
                    context.Fail("The session token names no user.");
                }
                else if (await context.HttpContext.RequestServices.GetRequiredService<RevokedSessions>().IsRevokedAsync(context.Principal, context.HttpContext.RequestAborted))
                {
                    context.Fail(new SessionRevokedException());
                }
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var detail = context.AuthenticateFailure switch
                {
                    null => "This endpoint needs a session. Log in with POST /auth/login and a JSON body {\"email\": ..., \"password\": ...}; the session cookie it sets is then sent with every request.",
                    SecurityTokenExpiredException => "Your session has expired. Log in again with POST /auth/login.",
                    SessionRevokedException => "Your session was ended by logging out. Log in again with POST /auth/login.",
                    _ => "Your session token is not valid (altered, or signed with another key). Log in again with POST /auth/login.",
                };
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Authentication required.", Detail = detail },
                });
            },
        };
    }
}

/// <summary>The caller of an authenticated request.</summary>
internal static class CurrentUser
{
    /// <summary>The user id in the token's <c>sub</c> claim.</summary>
    public static bool TryGetId(ClaimsPrincipal? principal, out int userId)
    {
        userId = 0;
        var sub = principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        return int.TryParse(sub, NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0;
    }

    /// <summary>The id of the signed-in user of <paramref name="principal"/>; endpoints that require authorization always have one (checked when the token was validated).</summary>
    public static int Id(this ClaimsPrincipal principal)
        => TryGetId(principal, out var id) ? id : throw new InvalidOperationException("The request is authenticated but its token names no user; OnTokenValidated should have refused it.");
}
