using System.Net;
using System.Net.Http.Json;
using MealPlanner.Api.Data;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>Session tokens, cookies and passwords never reach the logs, at any level, whatever the request did.</summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task Tokens_cookies_and_passwords_appear_in_no_log_entry()
    {
        const int User = 20;
        var logs = new CapturingLoggerProvider();
        await using var database = await SampleDatabase.CreateAsync();
        await using var factory = new MealPlannerFactory(database.ConnectionString, logs: logs);
        using var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var login = await client.PostAsJsonAsync("/auth/login", new { email = SeedUsers.Email(User), password = SeedUsers.Password(User) }, ct);
        login.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var setCookie = login.Headers.GetValues("Set-Cookie").Single();
        var token = setCookie["mealplanner_session=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];

        // Authenticated work of every kind, then refused requests: failures are where tokens tend to get logged.
        (await client.GetAsync("/me", ct)).EnsureSuccessStatusCode();
        (await client.PostAsync("/plan/generate-multi-week", null, ct)).EnsureSuccessStatusCode();
        (await client.GetAsync("/plan?week=2026-11-30", ct)).EnsureSuccessStatusCode();
        (await client.PostAsync("/plan/regenerate-week?week=2026-11-30", null, ct)).EnsureSuccessStatusCode();
        (await client.GetAsync("/shopping?week=2026-11-30", ct)).EnsureSuccessStatusCode();
        (await client.PutAsync("/favourites/2", null, ct)).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/me/preferences", new { dietaryPreferences = new[] { "nut-free" } }, ct)).EnsureSuccessStatusCode();
        (await client.GetAsync("/plan?week=soon", ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync("/auth/login", new { email = SeedUsers.Email(User), password = "wrong-" + SeedUsers.Password(User) }, ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using (var tampered = factory.CreateClient(new() { HandleCookies = false }))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            request.Headers.Add("Cookie", $"mealplanner_session={token[..^3]}xyz");
            (await tampered.SendAsync(request, ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            using var bearer = new HttpRequestMessage(HttpMethod.Get, "/me");
            bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token[..^3] + "xyz");
            (await tampered.SendAsync(bearer, ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await client.PostAsync("/auth/logout", null, ct)).EnsureSuccessStatusCode();

        var entries = logs.Entries.ToArray();
        entries.Should().Contain(e => e.Contains("Microsoft.AspNetCore", StringComparison.Ordinal), "the capture must see framework logs at every level, or this test proves nothing");
        entries.Should().Contain(e => e.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal), "the capture must see the SQL commands");
        entries.Should().Contain(e => e.Contains("User 20 logged in", StringComparison.Ordinal));
        var parts = token.Split('.');
        string[] secrets = [token, parts[1], parts[2], token[..^3] + "xyz", SeedUsers.Password(User)];
        foreach (var secret in secrets)
        {
            entries.Where(e => e.Contains(secret, StringComparison.Ordinal)).Should().BeEmpty($"no log entry may contain '{secret[..Math.Min(12, secret.Length)]}…'");
        }
    }
}
