using System.Diagnostics;
using System.Text.Json;
using Ergate.Benchmarks.Measurement;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Benchmarks.Configs;

/// <summary>
/// <c>engine-inprocess</c>: the core engine's in-process loop (<see cref="JobRunner"/>) over the in-memory queue and
/// store, which serialize on put, get and update like any real backend. A put on the queue is the submission; a
/// JOB_RUN_END handler counts completions; final values are read back from the store.
/// </summary>
internal sealed class EngineInProcessConfig(string name, int workerConcurrency) : IBenchmarkConfig
{
    private readonly CompletionCounter _completed = new();
    private readonly CancellationTokenSource _stopping = new();
    private ServiceProvider? _services;
    private InMemoryJobQueue? _queue;
    private InMemoryJobStateStore? _store;
    private Task _running = Task.CompletedTask;

    public string Name => name;

    public Task StartAsync(IReadOnlyCollection<int> stepCounts, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging(BenchLogging.Configure);
        services.AddErgate(ergate =>
        {
            foreach (var steps in stepCounts)
            {
                ergate.AddWorkflow(CountingWorkflow.Create(steps));
            }

            ergate.UseInMemoryQueue()
                .UseInMemoryStateStore()
                .Configure(o => o.WorkerConcurrency = workerConcurrency)
                .OnSignal(ErgateSignal.JobRunEnd, job =>
                {
                    if (job.Status == JobStatus.Completed)
                    {
                        _completed.Signal();
                    }
                });
        });
        _services = services.BuildServiceProvider();

        // Resolving the registry validates the definitions, as the host's start would.
        _services.GetRequiredService<WorkflowRegistry>();
        _queue = _services.GetRequiredService<InMemoryJobQueue>();
        _store = _services.GetRequiredService<InMemoryJobStateStore>();
        var runner = _services.GetRequiredService<JobRunner>();
        _running = Task.Run(() => runner.RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task<RunOutcome> RunAsync(Workload workload, CancellationToken cancellationToken)
    {
        var queue = _queue!;
        // An empty state store at the start of every run, as the floor's (whose dictionary is cleared before each run).
        _store!.Clear();
        var workflow = CountingWorkflow.Name(workload.Steps);
        var ids = new JsonElement[workload.Jobs];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = JsonValues.From(Guid.NewGuid().ToString("N"));
        }

        var zero = JsonValues.From(0);
        var done = _completed.Expect(workload.Jobs);
        var timer = RunTimer.Start();
        foreach (var id in ids)
        {
            await queue.PutAsync(new Job(workflow) { Id = id, InitialInputValue = zero }, cancellationToken);
        }

        await _completed.WaitAsync(done, RunLimits.RunTimeout, cancellationToken);
        var cost = timer.Stop();

        var check = new ResultCheck(workload.Steps);
        foreach (var id in ids)
        {
            var stored = await _store!.GetAsync(JobKeys.ForId(id), cancellationToken);
            var value = stored?.Job.LastReturnValue is { ValueKind: JsonValueKind.Number } number ? number.GetInt32() : (int?)null;
            check.Check(id.GetString()!, stored is not null, stored?.Job.Status == JobStatus.Completed, value);
        }

        return new RunOutcome(workload, cost, check.Wrong, check.FirstWrong);
    }

    public async Task<double[]> MeasureLatencyAsync(int samples, CancellationToken cancellationToken)
    {
        var queue = _queue!;
        var workflow = CountingWorkflow.Name(1);
        var zero = JsonValues.From(0);
        var latencies = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var id = JsonValues.From(Guid.NewGuid().ToString("N"));
            var done = _completed.Expect(1);
            var started = Stopwatch.GetTimestamp();
            await queue.PutAsync(new Job(workflow) { Id = id, InitialInputValue = zero }, cancellationToken);
            await _completed.WaitAsync(done, RunLimits.RunTimeout, cancellationToken);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        return latencies;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _stopping.Dispose();
    }
}
