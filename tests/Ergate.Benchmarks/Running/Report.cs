using System.Globalization;
using Ergate.Benchmarks.Measurement;

namespace Ergate.Benchmarks.Running;

/// <summary>Prints the tables and, last, one RESULT line per configuration and workload.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(BenchmarkOptions options, IReadOnlyList<string> configs, IReadOnlyList<ChildResult> results, IReadOnlyList<string> failures)
    {
        var resultLines = new List<string>();
        foreach (var workload in options.Workloads)
        {
            Console.WriteLine(string.Create(Invariant, $"== {workload.Jobs:N0} jobs x {workload.Steps} steps ({workload.TotalSteps:N0} steps per run); steps/s over {options.Reps} reps × {options.RunsPerChild} runs =="));
            Console.WriteLine(string.Create(Invariant, $"{"config",-22} {"median",10} {"min–max",21} {"ratio to floor",15} {"CPU µs/step",12} {"alloc B/step",13} {"GC pause",9} {"valid runs",11}"));
            var floorMedian = MedianStepsPerSecond(results, "floor", workload);
            foreach (var config in configs)
            {
                var runs = ValidRuns(results, config, workload);
                var all = results.Where(r => r.Config == config).SelectMany(r => r.Runs).Count(r => r.Workload == workload);
                var median = MedianStepsPerSecond(results, config, workload);
                var ratio = Ratio(median, floorMedian);
                var range = runs.Count == 0 ? "n/a" : string.Create(Invariant, $"{runs.Min(r => r.StepsPerSecond):N0}–{runs.Max(r => r.StepsPerSecond):N0}");
                var cpu = runs.Count == 0 ? "n/a" : Statistics.Median([.. runs.Select(r => r.CpuMicrosPerStep)]).ToString("N1", Invariant);
                var alloc = runs.Count == 0 ? "n/a" : Statistics.Median([.. runs.Select(r => r.AllocatedBytesPerStep)]).ToString("N0", Invariant);
                var gcPause = runs.Count == 0 ? "n/a" : Statistics.Median([.. runs.Select(r => r.GcPauseShare)]).ToString("P0", Invariant);
                Console.WriteLine(string.Create(Invariant, $"{config,-22} {Format(median, "N0"),10} {range,21} {Format(ratio, "0.0000"),15} {cpu,12} {alloc,13} {gcPause,9} {runs.Count + "/" + all,11}"));
                resultLines.Add(string.Create(Invariant, $"RESULT config={config} jobs={workload.Jobs} steps={workload.Steps} steps_per_s={Format(median, "0")} ratio_to_floor={Format(ratio, "0.0000")}"));
            }

            Console.WriteLine();
        }

        Console.WriteLine("== per configuration: peak RSS and latency of 1-step jobs (submit→complete, one job in flight) ==");
        Console.WriteLine(string.Create(Invariant, $"{"config",-22} {"peak RSS MiB",13} {"p50 µs",10} {"p99 µs",10} {"samples",8} {"start s",8} {"GC",12}"));
        foreach (var config in configs)
        {
            var children = results.Where(r => r.Config == config).ToArray();
            var latency = children.SelectMany(r => r.LatencyMicros).Order().ToArray();
            var rss = children.Length == 0 ? "n/a" : (children.Max(r => r.PeakRssBytes) / (1024.0 * 1024.0)).ToString("N0", Invariant);
            var start = children.Length == 0 ? "n/a" : Statistics.Median([.. children.Select(r => r.StartSeconds)]).ToString("0.00", Invariant);
            var gc = children.Length == 0 ? "n/a" : string.Join("/", children.Select(r => r.ServerGc ? "server" : "workstation").Distinct());
            Console.WriteLine(string.Create(Invariant, $"{config,-22} {rss,13} {Format(Statistics.Percentile(latency, 50), "N0"),10} {Format(Statistics.Percentile(latency, 99), "N0"),10} {latency.Length,8} {start,8} {gc,12}"));
        }

        Console.WriteLine("Peak RSS is the largest VmHWM among the configuration's child processes; each child runs one configuration");
        Console.WriteLine("(start, warm-up, every workload, latency), so no configuration's memory counts toward another's.");
        Console.WriteLine("CPU µs/step is process CPU time (all threads) over the timed span; alloc B/step is GC.GetTotalAllocatedBytes over");
        Console.WriteLine("the same span; both are divided by jobs x steps and include submission. GC pause is the share of the timed span");
        Console.WriteLine("the runtime was paused for collections (GC.GetTotalPauseDuration). Ratio = median / floor's median.");
        Console.WriteLine();

        if (failures.Count > 0)
        {
            Console.WriteLine(string.Create(Invariant, $"FAILED: {failures.Count} problem(s); runs with wrong results do not count:"));
            foreach (var failure in failures)
            {
                Console.WriteLine("  " + failure);
            }

            Console.WriteLine();
        }

        foreach (var line in resultLines)
        {
            Console.WriteLine(line);
        }
    }

    private static List<RunRecord> ValidRuns(IEnumerable<ChildResult> results, string config, Workload workload) =>
        [.. results.Where(r => r.Config == config).SelectMany(r => r.Runs).Where(r => r.Workload == workload && r.Wrong == 0)];

    private static double MedianStepsPerSecond(IEnumerable<ChildResult> results, string config, Workload workload)
    {
        var runs = ValidRuns(results, config, workload);
        return runs.Count == 0 ? double.NaN : Statistics.Median([.. runs.Select(r => r.StepsPerSecond)]);
    }

    private static double Ratio(double value, double floor) =>
        double.IsNaN(value) || double.IsNaN(floor) || floor == 0 ? double.NaN : value / floor;

    private static string Format(double value, string format) =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, Invariant);
}
