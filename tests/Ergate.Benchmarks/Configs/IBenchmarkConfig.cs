namespace Ergate.Benchmarks.Configs;

/// <summary>
/// One way of running the workload. A configuration is started once, runs any number of workloads (each with fresh
/// job ids), then is disposed. Adding a backend is a small class: see <see cref="SiloConfig"/>.
/// </summary>
internal interface IBenchmarkConfig : IAsyncDisposable
{
    /// <summary>The name used by --configs and in RESULT lines.</summary>
    string Name { get; }

    /// <summary>Starts the configuration with one counting workflow per step count.</summary>
    Task StartAsync(IReadOnlyCollection<int> stepCounts, CancellationToken cancellationToken);

    /// <summary>
    /// Submits every job of <paramref name="workload"/>, timing from just before the first submission until every job is
    /// complete, then checks every job's final value.
    /// </summary>
    Task<RunOutcome> RunAsync(Workload workload, CancellationToken cancellationToken);

    /// <summary>Submit→complete latency of 1-step jobs, one in flight at a time, in microseconds, in sample order.</summary>
    Task<double[]> MeasureLatencyAsync(int samples, CancellationToken cancellationToken);
}
