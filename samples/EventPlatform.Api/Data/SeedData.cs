using System.Globalization;

namespace EventPlatform.Api.Data;

/// <summary>
/// The deterministic data set <see cref="EventPlatformDatabase.SeedAsync(string, CancellationToken)"/> writes: the same
/// members and events on every machine, so tests can name them. Event 1 is the flash-crowd launch (capacity
/// <see cref="LaunchCapacity"/>); the others have capacities from 20 to 500 and start one day apart from
/// <see cref="FirstStart"/>.
/// </summary>
public static class SeedData
{
    /// <summary>Members, with ids 1 to 2,000.</summary>
    public const int Members = 2_000;

    /// <summary>Events, with ids 1 to 100.</summary>
    public const int Events = 100;

    /// <summary>The event every member wants: id 1.</summary>
    public const int LaunchEventId = 1;

    /// <summary>The launch event's seats: 400 (the seed story's 500 RSVPs over-subscribe it by a quarter).</summary>
    public const int LaunchCapacity = 400;

    /// <summary>When event 1 starts; event <c>n</c> starts <c>n - 1</c> days later, at the same time.</summary>
    public static readonly DateTimeOffset FirstStart = new(2027, 3, 1, 18, 0, 0, TimeSpan.Zero);

    /// <summary>The e-mail of member <paramref name="id"/>: <c>member0001@events.example</c>.</summary>
    public static string Email(int id) => string.Create(CultureInfo.InvariantCulture, $"member{id:D4}@events.example");

    /// <summary>The seats of event <paramref name="id"/>: <see cref="LaunchCapacity"/> for the launch, else 20 to 500.</summary>
    public static int Capacity(int id) => id == LaunchEventId ? LaunchCapacity : 20 + (id * 97 % 481);

    /// <summary>The title of event <paramref name="id"/>.</summary>
    public static string Title(int id) => id == LaunchEventId
        ? "Season launch night"
        : string.Create(CultureInfo.InvariantCulture, $"{Topics[id % Topics.Length]} #{id}");

    /// <summary>When event <paramref name="id"/> starts.</summary>
    public static DateTimeOffset StartsAt(int id) => FirstStart.AddDays(id - 1);

    private static readonly string[] Topics = ["Open training", "Kata workshop", "Sparring night", "Grading", "Seminar", "Tournament"];
}
