using System.Text.Json.Serialization;

namespace Ergate.Benchmarks.Running;

/// <summary>What one child reports to the parent, as one JSON line on stdout.</summary>
internal sealed record ChildResult(
    string Config,
    IReadOnlyList<RunRecord> Runs,
    double[] LatencyMicros,
    long PeakRssBytes,
    bool ServerGc,
    double StartSeconds,
    string? Error);

/// <summary>One timed run.</summary>
internal sealed record RunRecord(
    int Jobs,
    int Steps,
    double Seconds,
    double CpuSeconds,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseSeconds,
    double JitSeconds,
    int Wrong,
    string? FirstWrong)
{
    [JsonIgnore]
    public Workload Workload => new(Jobs, Steps);

    [JsonIgnore]
    public double StepsPerSecond => (double)Jobs * Steps / Seconds;

    [JsonIgnore]
    public double AllocatedBytesPerStep => (double)AllocatedBytes / ((double)Jobs * Steps);

    [JsonIgnore]
    public double GcPauseShare => GcPauseSeconds / Seconds;

    [JsonIgnore]
    public double CpuMicrosPerStep => CpuSeconds * 1e6 / ((double)Jobs * Steps);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChildResult))]
internal sealed partial class ChildResultJsonContext : JsonSerializerContext;
