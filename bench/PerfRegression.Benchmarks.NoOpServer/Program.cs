// A no-op HTTP server for the `loopback` suite: the load generators, not this app, are what is measured.
// Start it with `dotnet PerfRegression.Benchmarks.NoOpServer.dll --urls http://127.0.0.1:<port>`.
var builder = WebApplication.CreateSlimBuilder(args);

// Logging would cost more than the endpoint itself.
builder.Logging.ClearProviders();

var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();
