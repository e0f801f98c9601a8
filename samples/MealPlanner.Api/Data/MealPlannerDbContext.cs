using MealPlanner.Api.Recipes;
using Microsoft.EntityFrameworkCore;

namespace MealPlanner.Api.Data;

/// <summary>
/// The tables of Schema.sql, mapped by name. The schema comes from that script, never from EF Core
/// (no migrations, no EnsureCreated), so the indexes the queries rely on are stated in one place.
/// </summary>
internal sealed class MealPlannerDbContext(DbContextOptions<MealPlannerDbContext> options) : DbContext(options)
{
    public DbSet<UserRow> Users => Set<UserRow>();

    public DbSet<RecipeRow> Recipes => Set<RecipeRow>();

    public DbSet<RecipeIngredientRow> RecipeIngredients => Set<RecipeIngredientRow>();

    public DbSet<FavouriteRow> Favourites => Set<FavouriteRow>();

    public DbSet<PlanWeekRow> PlanWeeks => Set<PlanWeekRow>();

    public DbSet<PlannedMealRow> PlannedMeals => Set<PlannedMealRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRow>(user =>
        {
            user.ToTable("users").HasKey(u => u.Id);
            user.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
            user.Property(u => u.Email).HasColumnName("email");
            user.Property(u => u.PasswordHash).HasColumnName("password_hash");
            user.Property(u => u.DietaryPreferences).HasColumnName("dietary_preferences");
        });

        modelBuilder.Entity<RecipeRow>(recipe =>
        {
            recipe.ToTable("recipes").HasKey(r => r.Id);
            recipe.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
            recipe.Property(r => r.Name).HasColumnName("name");
            recipe.Property(r => r.MealType).HasColumnName("meal_type").HasConversion(m => MealTypes.ToText(m), s => MealTypes.Parse(s));
            recipe.Property(r => r.PrepMinutes).HasColumnName("prep_minutes");
            recipe.Property(r => r.MainIngredient).HasColumnName("main_ingredient");
            recipe.Property(r => r.DietaryTags).HasColumnName("dietary_tags");
            recipe.HasMany(r => r.Ingredients).WithOne().HasForeignKey(i => i.RecipeId);
        });

        modelBuilder.Entity<RecipeIngredientRow>(ingredient =>
        {
            ingredient.ToTable("recipe_ingredients").HasKey(i => new { i.RecipeId, i.Position });
            ingredient.Property(i => i.RecipeId).HasColumnName("recipe_id");
            ingredient.Property(i => i.Position).HasColumnName("position");
            ingredient.Property(i => i.Name).HasColumnName("name");
            ingredient.Property(i => i.Quantity).HasColumnName("quantity");
            ingredient.Property(i => i.Unit).HasColumnName("unit");
        });

        modelBuilder.Entity<FavouriteRow>(favourite =>
        {
            favourite.ToTable("favourites").HasKey(f => new { f.UserId, f.RecipeId });
            favourite.Property(f => f.UserId).HasColumnName("user_id");
            favourite.Property(f => f.RecipeId).HasColumnName("recipe_id");
        });

        modelBuilder.Entity<PlanWeekRow>(week =>
        {
            week.ToTable("plan_weeks").HasKey(w => new { w.UserId, w.WeekStart });
            week.Property(w => w.UserId).HasColumnName("user_id");
            week.Property(w => w.WeekStart).HasColumnName("week_start");
            week.Property(w => w.Generation).HasColumnName("generation");
            week.Property(w => w.GeneratedAt).HasColumnName("generated_at");
        });

        modelBuilder.Entity<PlannedMealRow>(meal =>
        {
            meal.ToTable("planned_meals").HasKey(m => new { m.UserId, m.Date, m.MealType });
            meal.Property(m => m.UserId).HasColumnName("user_id");
            meal.Property(m => m.Date).HasColumnName("date");
            meal.Property(m => m.MealType).HasColumnName("meal_type").HasConversion(m => MealTypes.ToText(m), s => MealTypes.Parse(s));
            meal.Property(m => m.RecipeId).HasColumnName("recipe_id");
        });
    }
}
