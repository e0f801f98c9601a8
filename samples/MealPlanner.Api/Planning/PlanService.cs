using MealPlanner.Api.Data;
using MealPlanner.Api.Recipes;
using Microsoft.EntityFrameworkCore;

namespace MealPlanner.Api.Planning;

/// <summary>
/// Reads and writes a user's plans. Generating runs in one transaction that first locks the user's row, so
/// two generations for the same user take turns instead of interleaving their deletes and inserts; each
/// read is one indexed query (the plan with its recipes joined, never a query per meal).
/// </summary>
internal sealed class PlanService(MealPlannerDbContext db, RecipeQueries recipes, TimeProvider time)
{
    /// <summary>The user's plan of the week starting <paramref name="monday"/>, or <see langword="null"/> when there is none.</summary>
    public async Task<WeekPlan?> GetWeekAsync(int userId, DateOnly monday, CancellationToken cancellationToken)
    {
        var sunday = monday.AddDays(6);
        var rows = await (
            from w in db.PlanWeeks.AsNoTracking()
            where w.UserId == userId && w.WeekStart == monday
            join m in db.PlannedMeals.AsNoTracking() on w.UserId equals m.UserId
            where m.Date >= monday && m.Date <= sunday
            join r in db.Recipes.AsNoTracking() on m.RecipeId equals r.Id
            select new { w.Generation, m.Date, Recipe = new RecipeSummary(r.Id, r.Name, r.MealType, r.PrepMinutes, r.MainIngredient, r.DietaryTags) })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var days = rows
            .GroupBy(r => r.Date)
            .OrderBy(g => g.Key)
            .Select(g => new PlanDay(g.Key, g.Key.DayOfWeek, [.. g.OrderBy(r => r.Recipe.MealType).Select(r => PlannedMeal.Of(r.Recipe))]))
            .ToArray();
        return new WeekPlan(monday, rows[0].Generation, days);
    }

    /// <summary>Plans <paramref name="weeks"/> weeks from <paramref name="start"/>, replacing what was planned there; each week's generation goes up by one.</summary>
    public async Task<PlanOutcome> GenerateAsync(int userId, DateOnly start, int weeks, CancellationToken cancellationToken)
    {
        var end = start.AddDays(7 * weeks);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var preferences = await LockUserAsync(userId, cancellationToken);
        var favourites = await recipes.FavouritesAsync(userId, cancellationToken);
        var generations = await db.PlanWeeks.AsNoTracking()
            .Where(w => w.UserId == userId && w.WeekStart >= start && w.WeekStart < end)
            .ToDictionaryAsync(w => w.WeekStart, w => w.Generation, cancellationToken);
        var neighbours = await NeighboursAsync(userId, start, end, cancellationToken);

        var toPlan = Enumerable.Range(0, weeks)
            .Select(i => start.AddDays(7 * i))
            .Select(week => new WeekToPlan(week, generations.GetValueOrDefault(week) + 1))
            .ToArray();
        var outcome = MealPlanGenerator.Plan(userId, favourites, preferences, toPlan, neighbours);
        if (!outcome.Succeeded)
        {
            return outcome;
        }

        await db.PlannedMeals.Where(m => m.UserId == userId && m.Date >= start && m.Date < end).ExecuteDeleteAsync(cancellationToken);
        await db.PlanWeeks.Where(w => w.UserId == userId && w.WeekStart >= start && w.WeekStart < end).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow();
        db.PlanWeeks.AddRange(outcome.Weeks.Select(w => new PlanWeekRow { UserId = userId, WeekStart = w.Week, Generation = w.Generation, GeneratedAt = now }));
        db.PlannedMeals.AddRange(outcome.Weeks.SelectMany(w => Rows(userId, w)));
        await SaveAsync(transaction, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Plans the week starting <paramref name="monday"/> anew with the next generation's draw, keeping the repeat rule
    /// against the weeks around it; <see langword="null"/> when the week has no plan to regenerate.
    /// </summary>
    public async Task<PlanOutcome?> RegenerateAsync(int userId, DateOnly monday, CancellationToken cancellationToken)
    {
        var end = monday.AddDays(7);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var preferences = await LockUserAsync(userId, cancellationToken);
        var generation = await db.PlanWeeks.AsNoTracking()
            .Where(w => w.UserId == userId && w.WeekStart == monday)
            .Select(w => (int?)w.Generation)
            .SingleOrDefaultAsync(cancellationToken);
        if (generation is null)
        {
            return null;
        }

        var favourites = await recipes.FavouritesAsync(userId, cancellationToken);
        var neighbours = await NeighboursAsync(userId, monday, end, cancellationToken);
        var outcome = MealPlanGenerator.Plan(userId, favourites, preferences, [new WeekToPlan(monday, generation.Value + 1)], neighbours);
        if (!outcome.Succeeded)
        {
            return outcome;
        }

        await db.PlannedMeals.Where(m => m.UserId == userId && m.Date >= monday && m.Date < end).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow();
        await db.PlanWeeks
            .Where(w => w.UserId == userId && w.WeekStart == monday)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Generation, generation.Value + 1).SetProperty(w => w.GeneratedAt, now), cancellationToken);
        db.PlannedMeals.AddRange(Rows(userId, outcome.Weeks[0]));
        await SaveAsync(transaction, cancellationToken);
        return outcome;
    }

    // Locks the user's row for the transaction and reads the preferences in the same statement.
    private Task<List<string>> LockUserAsync(int userId, CancellationToken cancellationToken)
        => db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE")
            .AsNoTracking()
            .Select(u => u.DietaryPreferences)
            .SingleAsync(cancellationToken);

    // The meals planned within the repeat window before and after [start, end): what the new weeks must not repeat.
    private Task<List<FixedMeal>> NeighboursAsync(int userId, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var before = start.AddDays(-(PlanRules.RepeatWindowDays - 1));
        var after = end.AddDays(PlanRules.RepeatWindowDays - 1);
        return db.PlannedMeals.AsNoTracking()
            .Where(m => m.UserId == userId && m.Date >= before && m.Date < after && (m.Date < start || m.Date >= end))
            .Select(m => new FixedMeal(m.Date, m.MealType, m.RecipeId))
            .ToListAsync(cancellationToken);
    }

    private async Task SaveAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            // Inside our own transaction EF Core would wrap SaveChanges in a savepoint (SAVEPOINT, then RELEASE):
            // a round trip per generation that buys nothing here, since any failure rolls the whole transaction
            // back. The query checks showed it as the third most expensive statement under load.
            db.Database.AutoSavepointsEnabled = false;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            // The context is pooled and scoped: leave no tracked rows behind for the next request.
            db.ChangeTracker.Clear();
        }
    }

    private static IEnumerable<PlannedMealRow> Rows(int userId, WeekPlan week)
        => week.Days.SelectMany(d => d.Meals.Select(m => new PlannedMealRow { UserId = userId, Date = d.Date, MealType = m.MealType, RecipeId = m.RecipeId }));
}
