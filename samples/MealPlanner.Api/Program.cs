using MealPlanner.Api;

// Needs two settings that are never committed (the start-up errors say how to set them): ConnectionStrings:MealPlanner
// and Auth:SigningKey, from `dotnet user-secrets` in development or environment variables elsewhere.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMealPlanner();

var app = builder.Build();
app.UseMealPlanner();
app.MapMealPlanner();
app.Run();

/// <summary>The entry point, public so that tests can host the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program
{
}
