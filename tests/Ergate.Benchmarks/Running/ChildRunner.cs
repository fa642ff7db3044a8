using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Ergate.Benchmarks.Configs;
using Ergate.Benchmarks.Measurement;

namespace Ergate.Benchmarks.Running;

/// <summary>
/// Runs one configuration in this process: start, warm up, time each workload --runs times, measure latency, and print the
/// result as one line on stdout (progress goes to stderr).
/// </summary>
internal static class ChildRunner
{
    public const string ResultPrefix = "@@ergate-bench-result ";

    private const int MaxWarmupRounds = 1_000;

    private const int MinWarmupJobs = 50;

    private static readonly TimeSpan WarmupRoundTime = TimeSpan.FromSeconds(1);

    // A warm-up round that spent at most this share of its time compiling counts as settled.
    private const double SettledJitShare = 0.02;

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var name = options.Configs[0];
        var runs = new List<RunRecord>();
        double[] latency = [];
        double startSeconds = 0;
        string? error = null;
        try
        {
            var stepCounts = options.Workloads.Select(w => w.Steps).Append(1).Distinct().ToArray();
            var started = Stopwatch.GetTimestamp();
            await using var config = ConfigCatalog.Create(name);
            await config.StartAsync(stepCounts, cancellationToken);
            startSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            // Warm up every path that is timed until tiered JIT has settled: rounds of up to a fifth of each workload
            // (200 to 2,000 jobs, fewer for a slow configuration so a round lasts about a second), for at least the
            // minimum warm-up time and until two rounds in a row spent under 2% of their time compiling (a silo keeps
            // promoting methods to tier 1 for many seconds), then some latency samples.
            foreach (var workload in options.Workloads)
            {
                var largest = Math.Clamp(workload.Jobs / 5, Math.Min(200, workload.Jobs), 2_000);
                var warmup = new Workload(largest, workload.Steps);
                var warming = Stopwatch.GetTimestamp();
                var rounds = 0;
                var settledRounds = 0;
                RunOutcome outcome;
                while (true)
                {
                    outcome = await config.RunAsync(warmup, cancellationToken);
                    rounds++;
                    settledRounds = outcome.Cost.Jit <= outcome.Cost.Elapsed * SettledJitShare ? settledRounds + 1 : 0;
                    if (outcome.Wrong > 0)
                    {
                        error ??= $"warm-up {warmup}: {outcome.Wrong} jobs ended wrong, e.g. {outcome.FirstWrong}";
                    }

                    var elapsed = Stopwatch.GetElapsedTime(warming);
                    if (rounds >= MaxWarmupRounds || elapsed >= options.MaxWarmupTime || (elapsed >= options.WarmupTime && settledRounds >= 2))
                    {
                        break;
                    }

                    var jobsPerRound = (int)(outcome.StepsPerSecond / workload.Steps * WarmupRoundTime.TotalSeconds);
                    warmup = new Workload(Math.Clamp(jobsPerRound, Math.Min(MinWarmupJobs, largest), largest), workload.Steps);
                }

                var jitShare = outcome.Cost.Jit / outcome.Cost.Elapsed;
                Progress(name, $"warm-up {rounds} rounds (last {warmup}) in {Stopwatch.GetElapsedTime(warming).TotalSeconds:0.0} s: last {outcome.StepsPerSecond:N0} steps/s, {jitShare:P0} of it compiling{(settledRounds < 2 ? " (JIT NOT SETTLED: hit the warm-up limit)" : string.Empty)}{Wrong(outcome.Wrong, outcome.FirstWrong)}");
            }

            await config.MeasureLatencyAsync(Math.Min(100, options.LatencySamples), cancellationToken);

            // Each workload several times, the workloads taking turns, so one hiccup of the machine moves one run of many.
            using var allocations = options.AllocTypes ? new AllocationSampler() : null;
            foreach (var workload in Enumerable.Repeat(options.Workloads, options.RunsPerChild).SelectMany(w => w))
            {
                Collect();
                allocations?.Reset();
                allocations?.IsSampling = true;
                var outcome = await config.RunAsync(workload, cancellationToken);
                allocations?.IsSampling = false;
                runs.Add(Record(outcome));
                var cost = outcome.Cost;
                Progress(name, $"{workload}: {outcome.StepsPerSecond:N0} steps/s in {cost.Elapsed.TotalSeconds:0.00} s; CPU {cost.Cpu.TotalSeconds:0.00} s, {cost.AllocatedBytes / 1048576.0:N0} MiB allocated, GCs gen0/1/2 {cost.Gen0}/{cost.Gen1}/{cost.Gen2} pausing {cost.GcPause.TotalSeconds / cost.Elapsed.TotalSeconds:P0} of the time; JIT {cost.Jit.TotalMilliseconds:N0} ms{Wrong(outcome.Wrong, outcome.FirstWrong)}");
                foreach (var line in allocations?.Report((long)workload.Jobs * workload.Steps, top: 30) ?? [])
                {
                    Progress(name, line);
                }
            }

            Collect();
            latency = await config.MeasureLatencyAsync(options.LatencySamples, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error ??= $"{exception.GetType().Name}: {exception.Message}";
            Progress(name, $"failed: {exception}");
        }

        var result = new ChildResult(name, runs, latency, PeakRss.ReadBytes(), GCSettings.IsServerGC, startSeconds, error);
        Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, ChildResultJsonContext.Default.ChildResult));
        await Console.Out.FlushAsync(cancellationToken);
        return error is null && runs.TrueForAll(r => r.Wrong == 0) ? 0 : 1;
    }

    private static RunRecord Record(RunOutcome outcome) => new(
        outcome.Workload.Jobs,
        outcome.Workload.Steps,
        outcome.Cost.Elapsed.TotalSeconds,
        outcome.Cost.Cpu.TotalSeconds,
        outcome.Cost.AllocatedBytes,
        outcome.Cost.Gen0,
        outcome.Cost.Gen1,
        outcome.Cost.Gen2,
        outcome.Cost.GcPause.TotalSeconds,
        outcome.Cost.Jit.TotalSeconds,
        outcome.Wrong,
        outcome.FirstWrong);

    private static string Wrong(int wrong, string? first) =>
        wrong == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" — {wrong} WRONG, e.g. {first}");

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Progress(string config, string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    [{config}] {message}"));
}
