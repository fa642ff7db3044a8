using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ergate.Diagnostics;

/// <summary>Every trace source and metric instrument of Ergate, in one place (named "Ergate").</summary>
internal static class ErgateInstruments
{
    public const string Name = "Ergate";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> StepsCompleted = Meter.CreateCounter<long>("ergate.steps.completed", description: "Steps that ran to an outcome.");

    public static readonly Counter<long> JobsFailed = Meter.CreateCounter<long>("ergate.jobs.failed", description: "Jobs that ended FAILED.");

    public static readonly Counter<long> StaleDeliveries = Meter.CreateCounter<long>("ergate.deliveries.stale", description: "Stale or duplicate deliveries dropped.");

    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("ergate.deliveries.dead_lettered", description: "Deliveries that were not valid jobs.");

    public static readonly Counter<long> BackendRetries = Meter.CreateCounter<long>("ergate.backend.retries", description: "Queue or state-store calls retried.");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("ergate.step.duration", unit: "ms", description: "Time a step body ran.");
}
