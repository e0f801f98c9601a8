namespace PerfRegression.PostgreSql;

/// <summary>What is wrong with a query plan.</summary>
public enum PlanFindingKind
{
    /// <summary>
    /// A sequential scan reads a whole relation of at least <see cref="PlanAnalysisOptions.MinSequentialScanRows"/>
    /// rows (or, when its size is unknown, a filtered scan takes at least
    /// <see cref="PlanAnalysisOptions.DominantCostShare"/> of the plan's cost).
    /// </summary>
    SequentialScan,

    /// <summary>A sort takes at least <see cref="PlanAnalysisOptions.DominantCostShare"/> of the plan's cost; an index in that order could avoid it.</summary>
    DominantSort,

    /// <summary>
    /// An index (or bitmap heap) scan's filter discards at least <see cref="PlanAnalysisOptions.MinFilteredShare"/> of
    /// the rows the index found, and the scan takes at least <see cref="PlanAnalysisOptions.DominantCostShare"/> of the
    /// plan's cost; an index that includes the filter's columns would find only the rows needed.
    /// </summary>
    ResidualFilter,
}
