using System.Diagnostics;
using System.Text.Json;
using Ergate.Benchmarks.Measurement;
using Ergate.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Ergate.Benchmarks.Configs;

/// <summary>
/// A one-silo <see cref="InProcessTestCluster"/> (file logging off, logging at Warning) running Ergate over the
/// backend a subclass chooses. Jobs are submitted through <see cref="IJobClient"/> on the cluster client, at most
/// <see cref="RunLimits.SubmitConcurrency"/> at once; a JOB_RUN_END handler in the silo counts completions; final
/// values are read back with <see cref="IJobClient.GetAsync(string, CancellationToken)"/>. The silo is started once and
/// reused: every run uses fresh job ids. A new backend is a subclass that overrides <see cref="UseBackend"/>.
/// </summary>
internal abstract class SiloConfig : IBenchmarkConfig
{
    private readonly CompletionCounter _completed = new();
    private InProcessTestCluster? _cluster;
    private IJobClient? _client;

    public abstract string Name { get; }

    private IJobClient Client => _client ?? throw new InvalidOperationException($"{Name} is not started.");

    public async Task StartAsync(IReadOnlyCollection<int> stepCounts, CancellationToken cancellationToken)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => BenchLogging.Configure(host.Logging));
        builder.ConfigureSilo((_, silo) => silo.AddErgate(ergate =>
        {
            foreach (var steps in stepCounts)
            {
                ergate.AddWorkflow(CountingWorkflow.Create(steps));
            }

            UseBackend(ergate, silo.Services);
            ergate.OnSignal(ErgateSignal.JobRunEnd, job =>
            {
                if (job.Status == JobStatus.Completed)
                {
                    _completed.Signal();
                }
            });
        }));
        _cluster = builder.Build();
        await _cluster.DeployAsync(cancellationToken);
        _client = _cluster.Client.GetErgateClient();
    }

    public async Task<RunOutcome> RunAsync(Workload workload, CancellationToken cancellationToken)
    {
        var client = Client;
        BeforeRun(_cluster!.Silos[0].ServiceProvider);
        var workflow = CountingWorkflow.Name(workload.Steps);
        var ids = new string[workload.Jobs];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Guid.NewGuid().ToString("N");
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = RunLimits.SubmitConcurrency, CancellationToken = cancellationToken };
        var done = _completed.Expect(workload.Jobs);
        var timer = RunTimer.Start();
        await Parallel.ForEachAsync(ids, parallel, async (id, ct) => await client.SubmitAsync(workflow, 0, id: id, cancellationToken: ct));
        await _completed.WaitAsync(done, RunLimits.RunTimeout, cancellationToken);
        var cost = timer.Stop();

        var check = new ResultCheck(workload.Steps);
        await Parallel.ForEachAsync(ids, parallel, async (id, ct) =>
        {
            var snapshot = await client.GetAsync(id, ct);
            var value = snapshot?.ToJob().LastReturnValue is { ValueKind: JsonValueKind.Number } number ? number.GetInt32() : (int?)null;
            check.Check(id, snapshot is not null, snapshot?.Status == JobStatus.Completed, value);
        });

        return new RunOutcome(workload, cost, check.Wrong, check.FirstWrong);
    }

    public async Task<double[]> MeasureLatencyAsync(int samples, CancellationToken cancellationToken)
    {
        var client = Client;
        var workflow = CountingWorkflow.Name(1);
        var latencies = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var id = Guid.NewGuid().ToString("N");
            var done = _completed.Expect(1);
            var started = Stopwatch.GetTimestamp();
            await client.SubmitAsync(workflow, 0, id: id, cancellationToken: cancellationToken);
            await _completed.WaitAsync(done, RunLimits.RunTimeout, cancellationToken);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        return latencies;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        await DisposeBackendAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Chooses the queue and the state store (and registers anything they need in <paramref name="services"/>).</summary>
    protected abstract void UseBackend(IErgateBuilder ergate, IServiceCollection services);

    /// <summary>Prepares the backend for a run (or a warm-up round), with no job in flight.</summary>
    /// <param name="siloServices">The silo's services.</param>
    protected virtual void BeforeRun(IServiceProvider siloServices)
    {
    }

    /// <summary>Removes what the backend left behind (files, say) after the silo has stopped.</summary>
    protected virtual ValueTask DisposeBackendAsync() => ValueTask.CompletedTask;
}
