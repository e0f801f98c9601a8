using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MealPlanner.Api.Auth;

/// <summary><c>POST /auth/login</c> and <c>POST /auth/logout</c>: a session in an HttpOnly cookie.</summary>
public static class AuthEndpoints
{
    /// <summary>The longest e-mail or password accepted; longer input is refused before any hashing.</summary>
    public const int MaxFieldLength = 256;

    /// <summary>Maps the auth endpoints.</summary>
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/auth").WithTags("Auth").AllowAnonymous();
        group.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimit.Policy);
        group.MapPost("/logout", LogoutAsync);
        return endpoints;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> LoginAsync(
        HttpContext context, LoginService logins, SessionTokens tokens, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, cancellationToken);
        using (body)
        {
            if (problem is not null || body is null)
            {
                return ApiProblems.Invalid("body", problem ?? "The body is required: {\"email\": \"user001@mealplanner.test\", \"password\": \"...\"}.");
            }

            if (JsonBody.UnknownProperties(body.RootElement, "email", "password") is { } unknown)
            {
                return ApiProblems.Invalid("body", unknown);
            }

            if (!TryText(body.RootElement, "email", out var email, out var invalid) || !TryText(body.RootElement, "password", out var password, out invalid))
            {
                return invalid!;
            }

            if (await logins.CheckAsync(email, password, cancellationToken) is not { } user)
            {
                // One answer for an unknown e-mail and a wrong password: which one it was would tell an attacker which accounts exist.
                return ApiProblems.Unauthorized("Login failed.", "The e-mail or the password is wrong.");
            }

            var (token, lifetime) = tokens.Issue(user.Id, user.Email);
            SessionTokens.SetCookie(context, token, lifetime);
            return TypedResults.NoContent();
        }
    }

    /// <summary>Ends the session: its token is revoked (it no longer authenticates, even if kept) and the cookie cleared.</summary>
    private static async Task<NoContent> LogoutAsync(HttpContext context, RevokedSessions revoked, CancellationToken cancellationToken)
    {
        var session = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (session.Succeeded)
        {
            await revoked.RevokeAsync(session.Principal, cancellationToken);
        }

        SessionTokens.ClearCookie(context);
        return TypedResults.NoContent();
    }

    private static bool TryText(JsonElement body, string name, out string value, out ValidationProblem? problem)
    {
        value = "";
        problem = null;
        var element = JsonBody.Property(body, name);
        if (element is null)
        {
            problem = ApiProblems.Invalid(name, $"{name} is required.");
            return false;
        }

        if (element.Value.ValueKind != JsonValueKind.String)
        {
            problem = ApiProblems.Invalid(name, $"{name} must be a string; got {JsonBody.Describe(element.Value.ValueKind)}.");
            return false;
        }

        if (!JsonBody.TryGetText(element.Value, out value) || string.IsNullOrWhiteSpace(value))
        {
            problem = ApiProblems.Invalid(name, $"{name} must be non-empty text without NUL characters or unpaired surrogates.");
            return false;
        }

        if (value.Length > MaxFieldLength)
        {
            problem = ApiProblems.Invalid(name, $"{name} must be at most {MaxFieldLength} characters; got {value.Length}.");
            return false;
        }

        return true;
    }
}
