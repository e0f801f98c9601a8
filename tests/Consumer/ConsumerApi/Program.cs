using Npgsql;

// A minimal API of the kind a team tests: one route that answers from memory, one that asks PostgreSQL.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(
    builder.Configuration.GetConnectionString("Items") ?? throw new InvalidOperationException("ConnectionStrings:Items is not set.")));
var app = builder.Build();

app.MapGet("/hello", () => "hello");
app.MapGet("/items/count", async (NpgsqlDataSource database, CancellationToken cancellationToken) =>
{
    await using var command = database.CreateCommand("SELECT count(*) FROM items");
    return Results.Ok(new { count = (long)(await command.ExecuteScalarAsync(cancellationToken))! });
});

app.Run();

/// <summary>The app's entry point, for WebApplicationFactory.</summary>
public partial class Program;
