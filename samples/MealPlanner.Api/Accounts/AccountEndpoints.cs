using System.Text.Json;
using MealPlanner.Api.Auth;
using MealPlanner.Api.Data;
using MealPlanner.Api.Recipes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MealPlanner.Api.Accounts;

/// <summary>The signed-in user's account.</summary>
/// <param name="Id">The user's id.</param>
/// <param name="Email">The e-mail the user logs in with.</param>
/// <param name="DietaryPreferences">The diets every planned recipe must suit.</param>
public sealed record Account(int Id, string Email, IReadOnlyList<string> DietaryPreferences);

/// <summary>The user's dietary preferences: tags from <see cref="Diets.All"/> every planned recipe must carry.</summary>
/// <param name="DietaryPreferences">The tags, sorted, without repeats.</param>
public sealed record Preferences(IReadOnlyList<string> DietaryPreferences);

/// <summary><c>GET /me</c>, <c>GET /me/preferences</c> and <c>PUT /me/preferences</c>; all need a session.</summary>
public static class AccountEndpoints
{
    /// <summary>Maps the account endpoints.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/me").WithTags("Account").RequireAuthorization();
        group.MapGet("/", GetAccountAsync);
        group.MapGet("/preferences", GetPreferencesAsync);
        group.MapPut("/preferences", PutPreferencesAsync);
        return endpoints;
    }

    private static async Task<Ok<Account>> GetAccountAsync(HttpContext context, MealPlannerDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.Id();
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new Account(u.Id, u.Email, u.DietaryPreferences))
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(account);
    }

    private static async Task<Ok<Preferences>> GetPreferencesAsync(HttpContext context, MealPlannerDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.Id();
        var preferences = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => u.DietaryPreferences)
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(new Preferences(preferences));
    }

    // Preferences apply to plans generated from now on; plans already made are left as they are.
    private static async Task<Results<Ok<Preferences>, ValidationProblem>> PutPreferencesAsync(
        HttpContext context, MealPlannerDbContext db, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, cancellationToken);
        using (body)
        {
            if (problem is not null || body is null)
            {
                return ApiProblems.Invalid("body", problem ?? "The body is required: {\"dietaryPreferences\": [\"vegetarian\"]}, or [] for none.");
            }

            if (JsonBody.UnknownProperties(body.RootElement, "dietaryPreferences") is { } unknown)
            {
                return ApiProblems.Invalid("body", unknown);
            }

            var allowed = $"each must be one of {string.Join(", ", Diets.All)}";
            if (JsonBody.Property(body.RootElement, "dietaryPreferences") is not { ValueKind: JsonValueKind.Array } array)
            {
                return ApiProblems.Invalid("dietaryPreferences", $"dietaryPreferences is required: an array of tags ({allowed}), or [] for none.");
            }

            var tags = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var element in array.EnumerateArray())
            {
                if (!JsonBody.TryGetText(element, out var tag) || !Diets.IsKnown(tag))
                {
                    var shown = element.ValueKind == JsonValueKind.String && JsonBody.TryGetText(element, out var text) ? $"'{text}'" : JsonBody.Describe(element.ValueKind);
                    return ApiProblems.Invalid("dietaryPreferences", $"dietaryPreferences has {shown}; {allowed}.");
                }

                tags.Add(tag);
            }

            var userId = context.User.Id();
            var stored = tags.ToList();
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DietaryPreferences, stored), cancellationToken);
            return TypedResults.Ok(new Preferences(stored));
        }
    }
}
