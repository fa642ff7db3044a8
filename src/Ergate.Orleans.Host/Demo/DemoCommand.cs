using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ergate.Orleans.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Spectre.Console;

namespace Ergate.Orleans.Host.Demo;

/// <summary>
/// <c>--demo [--jobs N]</c>: starts one silo on the embedded SQLite default (its own file, <c>ergate-demo.db</c> in the
/// current directory, reset at every run), submits N jobs (default 3,000) of the sample workflows through
/// <see cref="IJobClient"/>, shows live progress, checks every job's final state and prints a summary.
/// </summary>
internal static class DemoCommand
{
    public const int DefaultJobs = 3000;
    public const string DatabaseFile = "ergate-demo.db";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = ParseJobs(args);
        var database = Path.Combine(Environment.CurrentDirectory, DatabaseFile);
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        var progress = new DemoProgress();
        var hostArgs = args.Where(a => a != "--demo").ToArray();
        using var host = ErgateHostBuilder.Create(
            hostArgs,
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [ErgateHostBuilder.QueueSection + ":DatabasePath"] = database,
                [ErgateHostBuilder.StateStoreSection + ":DatabasePath"] = database,
                ["Orleans:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["Orleans:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Ergate"] = "Error",
                ["Logging:LogLevel:Orleans"] = "Error",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            }),
            ergate => ergate.OnSignal(ErgateSignal.JobRunEnd, progress.Record)).Build();

        AnsiConsole.MarkupLine($"[bold]Ergate.Orleans demo[/]: {count:N0} jobs on one silo, SQLite queue and store in [grey]{Markup.Escape(database)}[/]");
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IGrainFactory>().GetErgateClient();
        var jobs = Enumerable.Range(0, count).Select(DemoJob.Create).ToArray();
        var ids = new string[count];
        var clock = Stopwatch.StartNew();
        var submitted = 0;

        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var submitting = context.AddTask("submitted", maxValue: count);
                var ending = context.AddTask("finished", maxValue: count);
                var submission = SubmitAllAsync(client, jobs, ids, () => Interlocked.Increment(ref submitted));
                while (progress.Ended < count)
                {
                    submitting.Value = Volatile.Read(ref submitted);
                    ending.Value = progress.Ended;
                    ending.Description = $"finished: [green]{progress.Completed:N0} completed[/] · [yellow]{progress.Aborted:N0} aborted[/] · [red]{progress.Failed:N0} failed[/]";
                    if (submission.IsFaulted)
                    {
                        await submission;
                    }

                    await Task.Delay(100);
                }

                await submission;
                submitting.Value = count;
                ending.Value = count;
                ending.Description = $"finished: [green]{progress.Completed:N0} completed[/] · [yellow]{progress.Aborted:N0} aborted[/] · [red]{progress.Failed:N0} failed[/]";
            });
        clock.Stop();

        var wrong = await CheckAsync(client, jobs, ids);
        await host.StopAsync();

        var table = new Table().AddColumns("jobs", "completed", "aborted", "failed", "steps", "time", "steps/s");
        table.AddRow(
            count.ToString("N0", CultureInfo.InvariantCulture),
            progress.Completed.ToString("N0", CultureInfo.InvariantCulture),
            progress.Aborted.ToString("N0", CultureInfo.InvariantCulture),
            progress.Failed.ToString("N0", CultureInfo.InvariantCulture),
            progress.Steps.ToString("N0", CultureInfo.InvariantCulture),
            $"{clock.Elapsed.TotalSeconds:0.0} s",
            (progress.Steps / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        if (wrong.Count > 0)
        {
            AnsiConsole.MarkupLine($"[red]{wrong.Count} job(s) did not end as expected[/], for example: {Markup.Escape(string.Join("; ", wrong.Take(3)))}");
            return 1;
        }

        AnsiConsole.MarkupLine("[green]Every job ended as expected.[/] (The failed and aborted ones are meant to: see the 'failing' and 'aborting' samples.)");
        return 0;
    }

    private static async Task SubmitAllAsync(IJobClient client, DemoJob[] jobs, string[] ids, Action submitted)
    {
        // A few submissions in flight at once, as a busy web front end would send them.
        var next = -1;
        var workers = Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < jobs.Length)
            {
                var job = jobs[i];
                ids[i] = await client.SubmitAsync(job.Workflow, input: job.Input, userContext: job.Customer);
                submitted();
            }
        });
        await Task.WhenAll(workers);
    }

    private static async Task<List<string>> CheckAsync(IJobClient client, DemoJob[] jobs, string[] ids)
    {
        var wrong = new List<string>();
        for (var i = 0; i < jobs.Length; i++)
        {
            var snapshot = await client.GetAsync(ids[i]);
            var job = snapshot?.ToJob();
            if (job is null || !jobs[i].Matches(job))
            {
                wrong.Add($"job {i} ({jobs[i].Workflow}): expected {jobs[i].ExpectedStatus} {jobs[i].ExpectedValueJson}, got {job?.Status.ToString() ?? "nothing"} {job?.LastReturnValue.GetRawText()}");
            }
        }

        return wrong;
    }

    private static int ParseJobs(string[] args)
    {
        var index = Array.IndexOf(args, "--jobs");
        if (index < 0)
        {
            return DefaultJobs;
        }

        return index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var jobs) && jobs > 0
            ? jobs
            : throw new ArgumentException("--jobs takes a positive whole number, for example --jobs 5000.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
