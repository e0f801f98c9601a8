using System.Net.Http.Json;
using MealPlanner.Api.Data;
using PerfRegression;

namespace Perf.Db.Tests.Support;

/// <summary>Scenario set-up shared by the tests: each virtual user is a seeded account with plans.</summary>
internal static class Users
{
    /// <summary>Logs the virtual user in as seeded user <c>Id % 100 + 1</c> and generates four weeks of plans (not measured).</summary>
    public static async Task LogInAndPlanAsync(VirtualUser user, CancellationToken cancellationToken)
    {
        var number = (user.Id % SeedUsers.Count) + 1;
        using var login = await user.Http.PostAsJsonAsync("/auth/login", new { email = SeedUsers.Email(number), password = SeedUsers.Password(number) }, cancellationToken);
        login.EnsureSuccessStatusCode();
        using var plan = await user.Http.PostAsJsonAsync("/plan/generate-multi-week", new { weeks = 4 }, cancellationToken);
        plan.EnsureSuccessStatusCode();
    }

    /// <summary>The four planned weeks, in turn.</summary>
    public static DataFeed<string> Weeks() => DataFeed.Circular(["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"]);
}
