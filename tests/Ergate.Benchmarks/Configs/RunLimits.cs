namespace Ergate.Benchmarks.Configs;

/// <summary>Bounds that keep a stuck run from hanging the benchmark.</summary>
internal static class RunLimits
{
    /// <summary>The longest a run (or one latency sample) may take before it fails.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(180);

    /// <summary>Submissions in flight at once through <c>IJobClient</c>.</summary>
    public const int SubmitConcurrency = 64;
}
