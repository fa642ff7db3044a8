using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Ergate.Benchmarks.Floor;
using Ergate.Benchmarks.Measurement;

namespace Ergate.Benchmarks.Configs;

/// <summary>
/// <c>floor</c>: the least a job system of this shape can do, hand-written and sharing no code with the engine. A
/// typed job, source-generated JSON, a <see cref="Channel{T}"/> of bytes serialized on every put and get, a
/// <see cref="ConcurrentDictionary{TKey,TValue}"/> state store written twice per step (RUNNING, then the result), a
/// <see cref="Func{T,TResult}"/> step, one worker.
/// </summary>
internal sealed class FloorConfig : IBenchmarkConfig
{
    private static readonly Func<int, int> Step = static x => x + 1;

    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private ConcurrentDictionary<Guid, byte[]> _store = new();
    private readonly CompletionCounter _completed = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _worker = Task.CompletedTask;

    public string Name => "floor";

    public Task StartAsync(IReadOnlyCollection<int> stepCounts, CancellationToken cancellationToken)
    {
        _worker = Task.Run(() => WorkAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task<RunOutcome> RunAsync(Workload workload, CancellationToken cancellationToken)
    {
        // An empty store that keeps the room the last run grew it to (ConcurrentDictionary.Clear would shrink it), as
        // the in-memory configurations' stores do. No job is in flight between runs, and the worker reads the field
        // after each message, which the channel hands over with a barrier.
        _store = new ConcurrentDictionary<Guid, byte[]>(Environment.ProcessorCount, Math.Max(31, _store.Count));
        var ids = new Guid[workload.Jobs];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Guid.NewGuid();
        }

        var done = _completed.Expect(workload.Jobs);
        var timer = RunTimer.Start();
        foreach (var id in ids)
        {
            Put(new FloorJob { Id = id, Status = FloorJob.Queued, StepCount = workload.Steps, InitialInput = 0 });
        }

        await _completed.WaitAsync(done, RunLimits.RunTimeout, cancellationToken);
        var cost = timer.Stop();

        var check = new ResultCheck(workload.Steps);
        foreach (var id in ids)
        {
            var found = _store.TryGetValue(id, out var bytes);
            var job = found ? JsonSerializer.Deserialize(bytes, FloorJsonContext.Default.FloorJob) : null;
            check.Check(id.ToString("N"), job is not null, job?.Status == FloorJob.Completed, job?.LastReturnValue);
        }

        return new RunOutcome(workload, cost, check.Wrong, check.FirstWrong);
    }

    public async Task<double[]> MeasureLatencyAsync(int samples, CancellationToken cancellationToken)
    {
        var latencies = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var done = _completed.Expect(1);
            var started = Stopwatch.GetTimestamp();
            Put(new FloorJob { Id = Guid.NewGuid(), Status = FloorJob.Queued, StepCount = 1, InitialInput = 0 });
            await _completed.WaitAsync(done, RunLimits.RunTimeout, cancellationToken);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        return latencies;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _worker;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for a message.
        }

        _stopping.Dispose();
    }

    private void Put(FloorJob job) => _queue.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(job, FloorJsonContext.Default.FloorJob));

    private async Task WorkAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stopping))
        {
            while (reader.TryRead(out var message))
            {
                var job = JsonSerializer.Deserialize(message, FloorJsonContext.Default.FloorJob)!;
                job.Status = FloorJob.Running;
                _store[job.Id] = JsonSerializer.SerializeToUtf8Bytes(job, FloorJsonContext.Default.FloorJob);

                var input = job.StepsCompleted == 0 ? job.InitialInput : job.LastReturnValue;
                job.LastReturnValue = Step(input);
                job.CurrentStep++;
                job.StepsCompleted++;
                job.Status = job.CurrentStep == job.StepCount ? FloorJob.Completed : FloorJob.Queued;
                _store[job.Id] = JsonSerializer.SerializeToUtf8Bytes(job, FloorJsonContext.Default.FloorJob);

                if (job.Status == FloorJob.Queued)
                {
                    Put(job);
                }
                else
                {
                    _completed.Signal();
                }
            }
        }
    }
}
