using System.Net.Http.Json;
using ConfigFirst.Api;
using PerfRegression;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>The library's PerfWebApplicationFactory as the sample's tests use it.</summary>
public sealed class FactoryTests
{
    [Fact]
    public async Task Settings_reach_the_app_and_are_frozen_once_it_started()
    {
        await using var database = await SampleDatabase.CreateAsync();
        await using var factory = new MealPlannerFactory(database.ConnectionString);
        using var client = factory.CreateClient();

        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        health.IsSuccessStatusCode.Should().BeTrue("the connection string and signing key reached the app");
        factory.EnvironmentName.Should().Be("Production");
        var late = () => factory.WithSetting("Auth:TokenLifetime", "00:05:00");
        late.Should().Throw<InvalidOperationException>().WithMessage(
            "The app has already started, so its configuration is frozen. Configure the factory before calling CreateTarget, CreateClient, Server or Services.");
    }

    [Fact]
    public async Task The_same_app_serves_on_kestrel_loopback()
    {
        await using var database = await SampleDatabase.CreateAsync();
        await using var factory = new MealPlannerFactory(database.ConnectionString);

        var target = factory.WithKestrel().CreateTarget();

        target.Description.Should().StartWith("Kestrel http://127.0.0.1:");
        using var client = target.CreateClient();
        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        health.IsSuccessStatusCode.Should().BeTrue();
        factory.CreateTarget().Should().BeSameAs(target);
    }

    [Theory]
    [InlineData("/read-before-build")]
    [InlineData("/read-after-build")]
    public async Task Connection_strings_and_settings_reach_an_app_that_reads_configuration_before_Build(string route)
    {
        await using var factory = new PerfWebApplicationFactory<ConfigFirstAppMarker>()
            .WithConnectionString("Shop", "Host=127.0.0.1;Database=shop_test")
            .WithSetting("Shop:Greeting", "hello");
        using var client = factory.CreateClient();

        var read = await client.GetFromJsonAsync<ReadConfiguration>(route, TestContext.Current.CancellationToken);

        read.Should().Be(new ReadConfiguration("Host=127.0.0.1;Database=shop_test", "hello"), "the app must not connect to its fallback ({0})", ConfigFirstApp.Fallback);
    }

    private sealed record ReadConfiguration(string ConnectionString, string Greeting);
}
