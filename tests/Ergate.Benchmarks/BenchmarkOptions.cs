using System.Globalization;
using Ergate.Benchmarks.Configs;

namespace Ergate.Benchmarks;

/// <summary>The command line.</summary>
internal sealed class BenchmarkOptions
{
    private const string UsageHead = """
        Usage: dotnet run -c Release --project tests/Ergate.Benchmarks -- [options]

          --quick                 fewer jobs, 2 reps, 200 latency samples (under 2 minutes)
          --configs a,b           configurations to run (default: the default set, below)
          --jobs N[,N]            jobs per workload (default 10000,2000; quick 2000,500)
          --steps N[,N]           steps per workload (default 5,20); a single value applies to every workload
          --workloads JxS[,JxS]   the workloads directly, e.g. 10000x5,2000x20 (overrides --jobs and --steps)
          --reps N                repetitions of each configuration, interleaved (default 3; quick 2)
          --runs N                timed runs of each workload in each repetition, after one warm-up (default
                                  3; quick 1); the median is taken over every run of every repetition
          --latency-samples N     closed-loop latency samples of 1-step jobs per child (default 1000; quick 200)
          --warmup-seconds N      least warm-up time per workload in each child (default 2; quick 1); warm-up
                                  goes on until JIT has settled, up to --max-warmup-seconds
          --max-warmup-seconds N  most warm-up time per workload in each child (default 30; quick 6)
          --server-gc             run the children with server GC (DOTNET_gcServer=1); default workstation GC
          --child-timeout SECONDS kill a child that runs longer (default 300)
          --child --config NAME   run one configuration in this process and print its raw result (what the
                                  parent runs in each child; handy under dotnet-trace)
          --alloc-types           with --child: list the types each timed run allocates most, per step
                                  (the runtime's allocation samples)
          --help

        Configurations (default set marked *):
        """;

    public static string Usage => UsageHead + Environment.NewLine + ConfigCatalog.Describe();

    public static readonly Workload[] DefaultWorkloads = [new(10_000, 5), new(2_000, 20)];

    public static readonly Workload[] QuickWorkloads = [new(2_000, 5), new(500, 20)];

    public bool IsQuick { get; private init; }

    public bool IsChild { get; private init; }

    public bool ShowHelp { get; private init; }

    public bool ServerGc { get; private init; }

    public bool AllocTypes { get; private init; }

    public IReadOnlyList<string> Configs { get; private init; } = [];

    public IReadOnlyList<Workload> Workloads { get; private init; } = [];

    public int Reps { get; private init; }

    public int RunsPerChild { get; private init; }

    public int LatencySamples { get; private init; }

    public TimeSpan ChildTimeout { get; private init; }

    public TimeSpan WarmupTime { get; private init; }

    public TimeSpan MaxWarmupTime { get; private init; }

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        bool quick = false, child = false, help = false, serverGc = false, allocTypes = false;
        string? configs = null, jobs = null, steps = null, workloads = null;
        int? reps = null, runs = null, latencySamples = null, childTimeout = null, warmupSeconds = null, maxWarmupSeconds = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--child":
                    child = true;
                    break;
                case "--server-gc":
                    serverGc = true;
                    break;
                case "--alloc-types":
                    allocTypes = true;
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                case "--configs" or "--config":
                    configs = Value(args, ref i);
                    break;
                case "--jobs":
                    jobs = Value(args, ref i);
                    break;
                case "--steps":
                    steps = Value(args, ref i);
                    break;
                case "--workloads":
                    workloads = Value(args, ref i);
                    break;
                case "--reps":
                    reps = Positive(arg, Value(args, ref i));
                    break;
                case "--runs":
                    runs = Positive(arg, Value(args, ref i));
                    break;
                case "--latency-samples":
                    latencySamples = Positive(arg, Value(args, ref i));
                    break;
                case "--warmup-seconds":
                    warmupSeconds = Positive(arg, Value(args, ref i));
                    break;
                case "--max-warmup-seconds":
                    maxWarmupSeconds = Positive(arg, Value(args, ref i));
                    break;
                case "--child-timeout":
                    childTimeout = Positive(arg, Value(args, ref i));
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{arg}'.");
            }
        }

        var selected = configs is null ? ConfigCatalog.DefaultNames : Split(configs);
        foreach (var name in selected)
        {
            if (!ConfigCatalog.Exists(name))
            {
                throw new ArgumentException($"Unknown configuration '{name}'; known: {string.Join(", ", ConfigCatalog.AllNames)}.");
            }
        }

        if (child && selected.Count != 1)
        {
            throw new ArgumentException("--child runs exactly one configuration; pass --config NAME.");
        }

        if (allocTypes && !child)
        {
            throw new ArgumentException("--alloc-types samples one child's allocations; pass it with --child --config NAME.");
        }

        return new BenchmarkOptions
        {
            IsQuick = quick,
            IsChild = child,
            ShowHelp = help,
            ServerGc = serverGc,
            AllocTypes = allocTypes,
            Configs = selected,
            Workloads = workloads is not null
                ? [.. Split(workloads).Select(Workload.Parse)]
                : BuildWorkloads(quick ? QuickWorkloads : DefaultWorkloads, jobs, steps),
            Reps = reps ?? (quick ? 2 : 3),
            RunsPerChild = runs ?? (quick ? 1 : 3),
            LatencySamples = latencySamples ?? (quick ? 200 : 1000),
            ChildTimeout = TimeSpan.FromSeconds(childTimeout ?? 300),
            WarmupTime = TimeSpan.FromSeconds(warmupSeconds ?? (quick ? 1 : 2)),
            MaxWarmupTime = TimeSpan.FromSeconds(Math.Max(maxWarmupSeconds ?? (quick ? 6 : 30), warmupSeconds ?? 0)),
        };
    }

    /// <summary>The arguments of the child that runs <paramref name="config"/>.</summary>
    public IReadOnlyList<string> ChildArguments(string config) =>
    [
        "--child",
        "--config", config,
        "--workloads", string.Join(",", Workloads),
        "--runs", RunsPerChild.ToString(CultureInfo.InvariantCulture),
        "--latency-samples", LatencySamples.ToString(CultureInfo.InvariantCulture),
        "--warmup-seconds", ((int)WarmupTime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        "--max-warmup-seconds", ((int)MaxWarmupTime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
    ];

    private static Workload[] BuildWorkloads(Workload[] defaults, string? jobs, string? steps)
    {
        if (jobs is null && steps is null)
        {
            return defaults;
        }

        var jobCounts = jobs is null ? defaults.Select(w => w.Jobs).ToArray() : Split(jobs).Select(j => Positive("--jobs", j)).ToArray();
        var stepCounts = steps is null ? defaults.Select(w => w.Steps).ToArray() : Split(steps).Select(s => Positive("--steps", s)).ToArray();
        var count = Math.Max(jobCounts.Length, stepCounts.Length);
        if ((jobCounts.Length != 1 && jobCounts.Length != count) || (stepCounts.Length != 1 && stepCounts.Length != count))
        {
            throw new ArgumentException("--jobs and --steps need the same number of values, or a single value that applies to every workload.");
        }

        var result = new Workload[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new Workload(jobCounts[jobCounts.Length == 1 ? 0 : i], stepCounts[stepCounts.Length == 1 ? 0 : i]);
        }

        return result;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"Option '{args[i]}' needs a value.");
        }

        return args[++i];
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new ArgumentException($"Option '{option}' needs a whole number of at least 1, not '{value}'.");

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
