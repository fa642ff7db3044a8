using System.Diagnostics;
using System.Globalization;
using Ergate.Benchmarks.Configs;
using Ergate.Benchmarks.Measurement;
using Ergate.Sqlite;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Ergate.Benchmarks.Running;

/// <summary>
/// <c>--backlog-rss N</c>: does a silo's memory follow the work in flight or the work waiting? Puts N five-step jobs
/// straight on a SQLite queue, starts one silo on that file, lets it work for a fixed time, and prints the resident set
/// then and the steps done. Run it for 10,000 and for 100,000: with memory that follows in-flight work the two RSS
/// figures are close.
/// </summary>
internal static class BacklogRssProbe
{
    private static readonly TimeSpan WorkFor = TimeSpan.FromSeconds(8);

    public static async Task<int> RunAsync(int backlog, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ergate-backlog-" + Guid.NewGuid().ToString("N"));
        var database = Path.Combine(folder, "ergate.db");
        try
        {
            var workflow = CountingWorkflow.Create(5);
            var filling = Stopwatch.StartNew();
            await using (var queue = new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = database }))
            {
                var zero = JsonValues.From(0);
                await Parallel.ForEachAsync(Enumerable.Range(0, backlog), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (i, ct) =>
                    await queue.PutAsync(new Job(workflow.Name) { Id = JsonValues.From(i.ToString(CultureInfo.InvariantCulture)), InitialInputValue = zero }, ct));
            }

            filling.Stop();
            long steps = 0;
            var builder = new InProcessTestClusterBuilder(1);
            builder.Options.ConfigureFileLogging = false;
            builder.ConfigureHost(host => BenchLogging.Configure(host.Logging));
            builder.ConfigureSilo((_, silo) => silo.AddErgate(ergate => ergate
                .AddWorkflow(workflow)
                .UseSqliteQueue(database)
                .UseSqliteStateStore(database)
                .OnSignal(ErgateSignal.JobRunEnd, _ => Interlocked.Increment(ref steps))));
            await using var cluster = builder.Build();
            await cluster.DeployAsync(cancellationToken);
            var rssBefore = CurrentRss();
            await Task.Delay(WorkFor, cancellationToken);
            var rss = CurrentRss();
            var done = Interlocked.Read(ref steps);
            await cluster.StopAllSilosAsync();
            Console.WriteLine(
                $"BACKLOG jobs_waiting={backlog} fill_s={filling.Elapsed.TotalSeconds:0.0} rss_at_start_mib={rssBefore / 1048576} " +
                $"rss_after_{WorkFor.TotalSeconds:0}s_mib={rss / 1048576} peak_rss_mib={PeakRss.ReadBytes() / 1048576} steps_done={done}");
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static long CurrentRss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
