using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using MealPlanner.Api.Data;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>
/// Sessions: <c>POST /auth/login</c> sets a signed JWT in an HttpOnly, SameSite=Strict cookie; every
/// endpoint with user data answers 401 problem details without a valid one.
/// </summary>
public sealed class AuthTests(SampleApp app) : IClassFixture<SampleApp>
{
    private const string CookieName = "mealplanner_session";

    public static TheoryData<string, string> Protected { get; } = new()
    {
        { "GET", "/me" },
        { "GET", "/me/preferences" },
        { "PUT", "/me/preferences" },
        { "GET", "/favourites" },
        { "PUT", "/favourites/1" },
        { "DELETE", "/favourites/1" },
        { "GET", "/plan?week=2026-11-23" },
        { "POST", "/plan/generate-multi-week" },
        { "POST", "/plan/regenerate-week?week=2026-11-23" },
        { "GET", "/shopping?week=2026-11-23" },
    };

    [Fact]
    public async Task Login_sets_an_HttpOnly_SameSite_Strict_session_cookie_for_the_token_lifetime()
    {
        using var client = app.Anonymous();
        using var response = await LogInAsync(client, SeedUsers.Email(1), SeedUsers.Password(1));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var cookie = SessionCookie(response);
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToArray();
        attributes.Should().Contain(["httponly", "samesite=strict", "path=/", "max-age=3600"]);
        attributes.Should().NotContain("secure", "the request came over plain http; Secure follows the request's scheme");
        Token(cookie).Split('.').Should().HaveCount(3, "the cookie holds a signed JWT");
    }

    [Fact]
    public async Task Login_over_https_marks_the_cookie_Secure()
    {
        using var client = app.Factory.CreateClient(new() { BaseAddress = new Uri("https://localhost/") });
        using var response = await LogInAsync(client, SeedUsers.Email(2), SeedUsers.Password(2));

        SessionCookie(response).Split(';', StringSplitOptions.TrimEntries).Should().Contain(a => a.Equals("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Logged_in_user_reaches_their_account_and_email_is_case_and_space_insensitive()
    {
        using var client = app.Anonymous();
        using (var login = await LogInAsync(client, "  USER003@MealPlanner.Test ", SeedUsers.Password(3)))
        {
            login.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        var account = await client.GetFromJsonAsync<MealPlanner.Api.Accounts.Account>("/me", ApiJson.Options, TestContext.Current.CancellationToken);
        account!.Id.Should().Be(3);
        account.Email.Should().Be("user003@mealplanner.test");
        account.DietaryPreferences.Should().Equal(SeedUsers.PreferencesOf(3));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_401()
    {
        using var client = app.Anonymous();
        using var wrongPassword = await LogInAsync(client, SeedUsers.Email(4), "not-the-password");
        using var unknownEmail = await LogInAsync(client, "nobody@mealplanner.test", SeedUsers.Password(4));

        var first = await Problems.ReadAsync(wrongPassword, HttpStatusCode.Unauthorized);
        var second = await Problems.ReadAsync(unknownEmail, HttpStatusCode.Unauthorized);
        first.GetProperty("title").GetString().Should().Be("Login failed.");
        first.GetProperty("detail").GetString().Should().Be("The e-mail or the password is wrong.");
        second.GetProperty("title").GetString().Should().Be(first.GetProperty("title").GetString());
        second.GetProperty("detail").GetString().Should().Be(first.GetProperty("detail").GetString());
        wrongPassword.Headers.Contains("Set-Cookie").Should().BeFalse();
        unknownEmail.Headers.Contains("Set-Cookie").Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Endpoints_with_user_data_are_a_401_without_a_session(string method, string path)
    {
        using var client = app.Anonymous();
        using var response = await ApiJson.SendAsync(client, new HttpMethod(method), path);

        var problem = await Problems.ReadAsync(response, HttpStatusCode.Unauthorized);
        problem.GetProperty("title").GetString().Should().Be("Authentication required.");
        problem.GetProperty("detail").GetString().Should().StartWith("This endpoint needs a session. Log in with POST /auth/login");
    }

    [Fact]
    public async Task Recipes_and_health_are_public()
    {
        using var client = app.Anonymous();
        foreach (var path in new[] { "/recipes", "/recipes/1", "/health" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        }
    }

    [Fact]
    public async Task A_tampered_token_is_a_401()
    {
        var token = await TokenOfAsync(5);
        var parts = token.Split('.');

        // Claim to be user 6 with user 5's signature.
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"sub\":\"5\"", "\"sub\":\"6\"", StringComparison.Ordinal);
        payload.Should().Contain("\"sub\":\"6\"");
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        var flipped = $"{parts[0]}.{parts[1]}.{parts[2][..^2]}{(parts[2][^2] == 'A' ? 'B' : 'A')}{parts[2][^1]}";

        foreach (var bad in new[] { forged, flipped, parts[0] + "." + parts[1] + ".", "not-a-token" })
        {
            var problem = await Problems.ReadAsync(await GetMeWithAsync(bad), HttpStatusCode.Unauthorized);
            problem.GetProperty("detail").GetString().Should().Be("Your session token is not valid (altered, or signed with another key). Log in again with POST /auth/login.");
        }
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_none_is_a_401()
    {
        var now = MealPlannerFactory.Today.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
        var otherKey = Issue(new SymmetricSecurityKey(new byte[32]), now, now.AddHours(1));
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "MealPlanner.Api",
            Audience = "MealPlanner.Api",
            Subject = new ClaimsIdentity([new Claim("sub", "7")]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
        });

        await Problems.ReadAsync(await GetMeWithAsync(otherKey), HttpStatusCode.Unauthorized);
        await Problems.ReadAsync(await GetMeWithAsync(unsigned), HttpStatusCode.Unauthorized);

        // The control: the same token signed with the app's key is accepted.
        using var control = await GetMeWithAsync(Issue(new SymmetricSecurityKey(app.Factory.SigningKey), now, now.AddHours(1)));
        control.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_expired_token_is_a_401_that_says_so()
    {
        var now = app.Factory.Clock.GetUtcNow().UtcDateTime;
        var expired = Issue(new SymmetricSecurityKey(app.Factory.SigningKey), now.AddHours(-2), now.AddHours(-1));

        var problem = await Problems.ReadAsync(await GetMeWithAsync(expired), HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be("Your session has expired. Log in again with POST /auth/login.");
    }

    [Fact]
    public async Task A_session_ends_when_its_lifetime_has_passed()
    {
        // A factory of its own: its clock is moved forward.
        await using var factory = new MealPlannerFactory(app.Database.ConnectionString, new Dictionary<string, string?> { ["Auth:TokenLifetime"] = "00:10:00" });
        using var client = await SampleApp.LogInAsync(factory, 8);
        (await client.GetAsync("/me", TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.OK);

        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        using var response = await client.GetAsync("/me", TestContext.Current.CancellationToken);

        var problem = await Problems.ReadAsync(response, HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().StartWith("Your session has expired.");
    }

    [Fact]
    public async Task Logout_clears_the_cookie_and_ends_the_session()
    {
        using var client = await app.LogInAsync(9);
        using var logout = await client.PostAsync("/auth/logout", null, TestContext.Current.CancellationToken);

        logout.StatusCode.Should().Be(HttpStatusCode.NoContent);
        SessionCookie(logout).Should().Contain("expires=Thu, 01 Jan 1970");
        using var after = await client.GetAsync("/me", TestContext.Current.CancellationToken);
        await Problems.ReadAsync(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_logged_out_session_token_no_longer_authenticates_even_when_replayed()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await TokenOfAsync(10);
        var other = await TokenOfAsync(11);
        (await GetMeWithAsync(token)).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var client = app.Factory.CreateClient(new() { HandleCookies = false }))
        {
            using var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
            logout.Headers.Add("Cookie", $"{CookieName}={token}");
            (await client.SendAsync(logout, ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        // A copy of the token kept by the client (or stolen before log-out) is refused, whether sent as the cookie or as a bearer token.
        var problem = await Problems.ReadAsync(await GetMeWithAsync(token), HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be("Your session was ended by logging out. Log in again with POST /auth/login.");
        using (var client = app.Factory.CreateClient(new() { HandleCookies = false }))
        {
            using var bearer = new HttpRequestMessage(HttpMethod.Get, "/me");
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.SendAsync(bearer, ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await GetMeWithAsync(other)).StatusCode.Should().Be(HttpStatusCode.OK, "log-out ends that session only, not the user's others or anyone else's");
    }

    [Fact]
    public async Task Log_ins_beyond_the_limit_per_address_get_429_with_Retry_After_until_the_window_ends()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new MealPlannerFactory(app.Database.ConnectionString, new Dictionary<string, string?> { ["Auth:LoginPermitLimit"] = "3", ["Auth:LoginWindow"] = "00:10:00" });
        using var client = factory.CreateClient();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            // Wrong passwords count like right ones: the limit is on attempts, which is what guessing needs.
            using var allowed = await LogInAsync(client, SeedUsers.Email(12), attempt == 2 ? SeedUsers.Password(12) : "wrong-password");
            allowed.StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.NoContent);
        }

        using var refused = await LogInAsync(client, SeedUsers.Email(12), SeedUsers.Password(12));

        var problem = await Problems.ReadAsync(refused, HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(10));
        problem.GetProperty("detail").GetString().Should().MatchRegex(@"^Too many log-in attempts from this address\. Wait \d+ s \(Retry-After\) and try again\.$");
        (await client.GetAsync("/me", ct)).StatusCode.Should().Be(HttpStatusCode.OK, "only the log-in endpoint is limited; the session from the allowed log-in works");
    }

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password)
        => client.PostAsJsonAsync("/auth/login", new { email, password }, TestContext.Current.CancellationToken);

    private async Task<string> TokenOfAsync(int user)
    {
        using var client = app.Anonymous();
        using var response = await LogInAsync(client, SeedUsers.Email(user), SeedUsers.Password(user));
        return Token(SessionCookie(response));
    }

    // A client without a cookie container, so the cookie sent is exactly the one given.
    private async Task<HttpResponseMessage> GetMeWithAsync(string token)
    {
        using var client = app.Factory.CreateClient(new() { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Add("Cookie", $"{CookieName}={token}");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static string Issue(SecurityKey key, DateTime notBefore, DateTime expires)
        => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "MealPlanner.Api",
            Audience = "MealPlanner.Api",
            Subject = new ClaimsIdentity([new Claim("sub", "7")]),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

    private static string SessionCookie(HttpResponseMessage response)
    {
        response.Headers.TryGetValues("Set-Cookie", out var cookies).Should().BeTrue("the answer sets the session cookie");
        return cookies!.Single(c => c.StartsWith(CookieName + "=", StringComparison.Ordinal));
    }

    private static string Token(string setCookie) => setCookie[(CookieName.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
}
