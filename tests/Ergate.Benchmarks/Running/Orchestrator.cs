using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ergate.Benchmarks.Configs;

namespace Ergate.Benchmarks.Running;

/// <summary>
/// Runs every repetition of every configuration, interleaved (floor, engine, silo, floor, engine, silo, …), each in a
/// child process of this program so its peak RSS is its own, then prints the report.
/// </summary>
internal static class Orchestrator
{
    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var configs = ConfigCatalog.InCatalogOrder(options.Configs);
        Console.WriteLine("Ergate.Orleans throughput benchmark");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {(options.ServerGc ? "server" : "workstation")} GC in the children"));
        Console.WriteLine($"  workloads {string.Join(", ", options.Workloads)} (jobs x steps); {options.Reps} reps of [{string.Join(", ", configs)}], interleaved; {options.LatencySamples} latency samples per child");
        Console.WriteLine("  each repetition of each configuration runs in a child process of its own (start, warm-up, every workload, latency)");
        Console.WriteLine($"  load average at start: {LoadAverage()}");
        Console.WriteLine();

        var results = new List<ChildResult>();
        var failures = new List<string>();
        var total = Stopwatch.StartNew();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            foreach (var config in configs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rep {rep}/{options.Reps} {config} (t={total.Elapsed.TotalSeconds:0} s)"));
                var (result, failure) = await RunChildAsync(options, config, cancellationToken);
                if (result is not null)
                {
                    results.Add(result);
                    failures.AddRange(result.Runs.Where(r => r.Wrong > 0).Select(r => $"{config} rep {rep} {r.Workload}: {r.Wrong} jobs ended wrong, e.g. {r.FirstWrong}"));
                    if (result.Error is not null)
                    {
                        failures.Add($"{config} rep {rep}: {result.Error}");
                    }
                }

                if (failure is not null)
                {
                    failures.Add($"{config} rep {rep}: {failure}");
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {total.Elapsed.TotalSeconds:0} s; load average at end: {LoadAverage()}"));
        Console.WriteLine();
        Report.Print(options, configs, results, failures);
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<(ChildResult? Result, string? Failure)> RunChildAsync(BenchmarkOptions options, string config, CancellationToken cancellationToken)
    {
        var start = ChildStartInfo(options.ChildArguments(config));
        if (options.ServerGc)
        {
            start.Environment["DOTNET_gcServer"] = "1";
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ChildTimeout);
        ChildResult? result = null;
        try
        {
            while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(ChildRunner.ResultPrefix, StringComparison.Ordinal))
                {
                    result = JsonSerializer.Deserialize(line.AsSpan(ChildRunner.ResultPrefix.Length), ChildResultJsonContext.Default.ChildResult);
                }
                else
                {
                    Console.WriteLine(line);
                }
            }

            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return (result, string.Create(CultureInfo.InvariantCulture, $"child killed after {options.ChildTimeout.TotalSeconds:0} s"));
        }

        if (result is null)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"child exited with code {child.ExitCode} and no result"));
        }

        return (result, null);
    }

    // Other work on the machine moves every figure; the load average says how much there was.
    private static string LoadAverage()
    {
        const string Path = "/proc/loadavg";
        return File.Exists(Path) ? string.Join(' ', File.ReadAllText(Path).Split(' ').Take(3)) : "unknown";
    }

    // The child is this same program: its apphost when there is one, otherwise `dotnet <this dll>`.
    private static ProcessStartInfo ChildStartInfo(IEnumerable<string> arguments)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(processPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
