namespace ConfigFirst.Api;

/// <summary>
/// Reads <c>ConnectionStrings:Shop</c> and <c>Shop:Greeting</c> from <c>builder.Configuration</c> before
/// <c>Build()</c>, as many minimal APIs do to register a data source, and serves what it read, so a test can see
/// whether the values a factory set reached the app or it fell back. (A named class, not top-level statements,
/// so its entry point does not clash with the other sample's <c>Program</c> in the tests that reference both.)
/// </summary>
public static class ConfigFirstApp
{
    /// <summary>The connection string the app uses when none is configured.</summary>
    public const string Fallback = "Host=fallback.invalid;Database=shop";

    /// <summary>Starts the app.</summary>
    /// <param name="args">The command line.</param>
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var connectionString = builder.Configuration.GetConnectionString("Shop") ?? Fallback;
        var greeting = builder.Configuration["Shop:Greeting"] ?? "none";

        var app = builder.Build();
        app.MapGet("/read-before-build", () => Results.Json(new { connectionString, greeting }));
        app.MapGet("/read-after-build", (IConfiguration configuration) => Results.Json(new
        {
            connectionString = configuration.GetConnectionString("Shop") ?? Fallback,
            greeting = configuration["Shop:Greeting"] ?? "none",
        }));
        app.Run();
    }
}

/// <summary>A type in the app's assembly for <c>WebApplicationFactory&lt;TEntryPoint&gt;</c> (a static class cannot be a type argument).</summary>
public sealed class ConfigFirstAppMarker
{
}
