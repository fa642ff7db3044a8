using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Placement;

namespace Ergate.Orleans.Grains;

/// <summary>
/// One job. Deliveries are non-reentrant calls, so a job's steps never overlap; the engine's
/// <see cref="JobProcessor"/> does the work. Get, cancel and watch interleave with a running step.
/// </summary>
[PreferLocalPlacement]
[CollectionAgeLimit(Minutes = 2)]
internal sealed class JobGrain : Grain, IJobGrain, IJobRuntimeGrain
{
    private readonly JobProcessor _processor;
    private readonly TimeProvider _time;
    private readonly JobGrainCensus _census;
    private readonly int _maxActive;
    private readonly JobMemory _memory = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<Channel<JobSnapshot>>? _watchers; // created by the first watcher: most jobs are never watched
    private CancellationTokenSource? _stepCancellation; // reused across steps until a cancellation uses it up
    private CancellationTokenSource? _step;

    public JobGrain(JobProcessor processor, TimeProvider time, JobGrainCensus census, IOptions<ErgateSiloOptions> options)
    {
        _processor = processor;
        _time = time;
        _census = census;
        _maxActive = options.Value.MaxActiveJobGrains;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _census.Activated();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _census.Deactivated();
        return Task.CompletedTask;
    }

    private string Key => this.GetPrimaryKeyString();

    public async Task<SubmitRejection> CreateAsync(CreateJobRequest request)
    {
        await _gate.WaitAsync();
        try
        {
            var created = await _processor.CreateAsync(request.Job, Key, request.NotBefore, _memory);
            if (WatcherCount == 0 && _census.Active > _maxActive)
            {
                // Many submissions at once must not keep a grain each until their first step.
                DeactivateOnIdle();
            }

            return created ? SubmitRejection.None : SubmitRejection.AlreadyExists;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<DeliveryResult> ProcessAsync(DeliveryRequest request)
    {
        // The pump gave the job its key (JobKeys.GetOrAssign), generated ones included.
        var job = request.Job;
        await _gate.WaitAsync();
        var step = _stepCancellation ??= new CancellationTokenSource();
        _step = step;
        try
        {
            // The put stays here, not deferred to the pump's settlement (IRequeueJobQueue): a reply lost with a stopping silo
            // would otherwise leave a stored state that no copy on the queue carries on. With a store that shares the
            // queue's transactions, the result is stored, put and the delivery acknowledged in one transaction, here
            // too: a reply lost after it finds the delivery gone (releasing it then does nothing), one lost before it
            // leaves the delivery to come back and run the step again.
            // A pump of an older version sends no delivery id; it then settles the delivery itself, as before.
            var delivery = _processor.SettlesInTransaction && !string.IsNullOrEmpty(request.DeliveryId)
                ? new JobDelivery(request.DeliveryId, ReadOnlyMemory<byte>.Empty)
                : null;
            var result = await _processor.ProcessAsync(job, request.Key, _memory, step.Token, delivery: delivery);
            // A finished job's grain goes at once; an unfinished one stays for its next step unless the silo already
            // holds more job grains than allowed (a long backlog started round-robin), so memory follows the work.
            if (WatcherCount == 0 && (result.Job?.Status.IsFinal() == true || _census.Active > _maxActive))
            {
                DeactivateOnIdle();
            }

            return new DeliveryResult(result.Outcome, null, result.ReleaseAfter, Settled: result.Settled);
        }
        finally
        {
            _step = null;
            if (!step.TryReset())
            {
                step.Dispose();
                _stepCancellation = null;
            }

            _gate.Release();
        }
    }

    public async Task<JobSnapshot?> GetAsync()
    {
        var stored = await _processor.ReadAsync(Key, _memory);
        if (WatcherCount == 0 && _gate.CurrentCount == 1 && (stored is null || stored.Job.Status.IsFinal() || _census.Active > _maxActive))
        {
            // A read must not keep a grain its job no longer needs (nor one each for a client polling many jobs): kept,
            // they would count against MaxActiveJobGrains and make the grains of running jobs deactivate after each step.
            DeactivateOnIdle();
        }

        return stored is null ? null : new JobSnapshot(Key, stored.Job, stored.UpdatedAt == DateTimeOffset.MinValue ? null : stored.UpdatedAt);
    }

    public async Task<CancelResult> CancelAsync()
    {
        if (!_gate.Wait(0))
        {
            // A delivery is in progress: flag it and cancel the step's token; the delivery ends the job CANCELLED
            // (or COMPLETED if that was the last step) and writes it, so store updates stay in order.
            _memory.IsCancelRequested = true;
            if (_step is { } step)
            {
                await step.CancelAsync();
            }

            return CancelResult.Requested;
        }

        try
        {
            return await _processor.RequestCancelAsync(Key, _memory);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async IAsyncEnumerable<JobSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<JobSnapshot>(new UnboundedChannelOptions { SingleReader = true });
        lock (_memory)
        {
            (_watchers ??= []).Add(channel);
            _memory.Stored = Notify;
        }

        try
        {
            var current = await GetAsync();
            if (current is null)
            {
                yield break;
            }

            yield return current;
            if (current.IsFinal)
            {
                yield break;
            }

            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return snapshot;
                if (snapshot.IsFinal)
                {
                    yield break;
                }
            }
        }
        finally
        {
            lock (_memory)
            {
                _watchers!.Remove(channel);
            }
        }
    }

    private int WatcherCount
    {
        get
        {
            lock (_memory)
            {
                return _watchers?.Count ?? 0;
            }
        }
    }

    // Called by the processor after each stored state once the grain has been watched, possibly off the grain's
    // scheduler: hence the lock (on the memory, which lives as long as the grain).
    private void Notify(Job job)
    {
        lock (_memory)
        {
            if (_watchers is not { Count: > 0 })
            {
                return;
            }

            var snapshot = new JobSnapshot(Key, job, _time.GetUtcNow());
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(snapshot);
            }
        }
    }
}
