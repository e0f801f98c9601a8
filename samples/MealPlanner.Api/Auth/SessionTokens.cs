using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MealPlanner.Api.Auth;

/// <summary>Issues the session token: a JWT signed with HMAC-SHA256, carried in an HttpOnly cookie.</summary>
internal sealed class SessionTokens(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>The cookie that carries the session token.</summary>
    public const string CookieName = "mealplanner_session";

    /// <summary>The token's issuer and audience: this app issues tokens only for itself.</summary>
    public const string Issuer = "MealPlanner.Api";

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>The signing key as the validation side needs it.</summary>
    public static SymmetricSecurityKey Key(AuthOptions options) => new(options.KeyBytes);

    /// <summary>A token for user <paramref name="userId"/>, valid for the configured lifetime from now.</summary>
    public (string Token, TimeSpan Lifetime) Issue(int userId, string email)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            // jti: the session's id, which log-out revokes (RevokedSessions).
            Subject = new ClaimsIdentity([
                new Claim(JwtRegisteredClaimNames.Sub, userId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(JwtRegisteredClaimNames.Email, email),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.TokenLifetime,
            SigningCredentials = new SigningCredentials(Key(settings), SecurityAlgorithms.HmacSha256),
        });
        return (token, settings.TokenLifetime);
    }

    /// <summary>Sets the session cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site request sends it), Secure over HTTPS.</summary>
    public static void SetCookie(HttpContext context, string token, TimeSpan lifetime)
        => context.Response.Cookies.Append(CookieName, token, CookieOptions(context, lifetime));

    /// <summary>Clears the session cookie.</summary>
    public static void ClearCookie(HttpContext context)
        => context.Response.Cookies.Delete(CookieName, CookieOptions(context, null));

    // Max-Age rather than Expires: the browser counts it from receipt, so the cookie does not depend on the client's clock agreeing with the server's.
    private static CookieOptions CookieOptions(HttpContext context, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
        MaxAge = lifetime,
    };
}
