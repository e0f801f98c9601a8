namespace PerfRegression;

/// <summary>
/// One stage of a ramping closed-model profile, as in k6: over <see cref="Duration"/> the number of
/// virtual users moves linearly from where the previous stage ended to <see cref="Target"/>.
/// A stage whose target equals the previous one holds the level.
/// </summary>
/// <param name="Duration">How long the stage lasts; greater than zero.</param>
/// <param name="Target">Virtual users at the end of the stage; zero or more.</param>
public readonly record struct Stage(TimeSpan Duration, int Target);

/// <summary>
/// One stage of a ramping open-model profile: over <see cref="Duration"/> the arrival rate moves
/// linearly from where the previous stage ended to <see cref="TargetPerSecond"/>.
/// </summary>
/// <param name="Duration">How long the stage lasts; greater than zero.</param>
/// <param name="TargetPerSecond">Iterations started per second at the end of the stage; zero or more.</param>
public readonly record struct RateStage(TimeSpan Duration, double TargetPerSecond);
