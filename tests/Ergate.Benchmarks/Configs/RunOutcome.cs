using Ergate.Benchmarks.Measurement;

namespace Ergate.Benchmarks.Configs;

/// <summary>A timed run and the check of its results.</summary>
/// <param name="Workload">What ran.</param>
/// <param name="Cost">What it cost.</param>
/// <param name="Wrong">How many jobs did not end COMPLETED with the value S.</param>
/// <param name="FirstWrong">The first such job, described, or <see langword="null"/>.</param>
internal sealed record RunOutcome(Workload Workload, RunCost Cost, int Wrong, string? FirstWrong)
{
    public double StepsPerSecond => Workload.TotalSteps / Cost.Elapsed.TotalSeconds;
}
