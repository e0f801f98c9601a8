namespace PerfRegression.Tests.Support;

/// <summary>
/// Tests whose assertions depend on measured time run alone: xUnit runs this collection when no other
/// test is running, so a neighbour's CPU use cannot move their percentiles. Its classes that measure real time
/// also hold the machine-wide lock (<see cref="HoldsTheMachineAttribute"/>), so another test process's load run
/// cannot either.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
