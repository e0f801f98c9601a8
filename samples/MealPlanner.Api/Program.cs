using MealPlanner.Api;

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
