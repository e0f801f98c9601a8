using EventPlatform.Api;

// Needs three settings that are never committed (the start-up errors say how to set them): ConnectionStrings:EventPlatform,
// Auth:TokenKey and Webhooks:SigningSecret, from `dotnet user-secrets` in development or environment variables elsewhere.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventPlatform();

var app = builder.Build();
app.UseEventPlatform();
app.MapEventPlatform();
app.Run();

/// <summary>The entry point, public so that tests can host the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program
{
}
