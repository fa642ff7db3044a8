using Ergate.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Tests.Execution;

/// <summary>
/// A worker that remembers nothing of a job (a job grain's first delivery) with a conditional store stores RUNNING
/// without reading the job first, and relies on the store refusing that write when the delivery is stale or the job's
/// cancellation was requested (<see cref="JobStaleness.IsRefused"/>); only then does it read, and the delivery ends as
/// it would have had it read first. With a JOB_RUN_START handler it still reads first, so no stale delivery is announced.
/// </summary>
public sealed class FirstDeliveryTests
{
    private static readonly ErgateSignal[] AllButStart = [ErgateSignal.JobRunFail, ErgateSignal.JobRunEnd];

    private static Workflow Counter(Action? ran = null)
    {
        var workflow = new Workflow("counter");
        for (var i = 1; i <= 3; i++)
        {
            workflow.Step($"step_{i}", (int x) =>
            {
                ran?.Invoke();
                return x + 1;
            });
        }

        return workflow;
    }

    private static EngineHarness Create(bool startHandler, Action? ran = null, Func<InMemoryJobStateStore, IJobStateStore>? wrapStore = null, TimeProvider? time = null) =>
        EngineHarness.Create(
            e => e.AddWorkflow(Counter(ran)).Configure(o => o.RequeueAfter = TimeSpan.FromMinutes(1)),
            wrapStore: wrapStore,
            time: time,
            recordedSignals: startHandler ? null : AllButStart);

    private static Job WithState(Job job, int stepsCompleted, JobStatus status)
    {
        var state = job.Clone();
        state.StepsCompleted = state.CurrentStep = stepsCompleted;
        state.LastReturnValue = JsonValues.From(stepsCompleted);
        state.Status = status;
        return state;
    }

    [Fact]
    public async Task NoStartHandler_RunsTheStepWithoutReadingTheStore()
    {
        CountingStore? counting = null;
        await using var engine = Create(startHandler: false, wrapStore: inner => counting = new CountingStore(inner));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(0, counting!.Reads);
        Assert.Equal(1, (await engine.StoredAsync(job)).StepsCompleted);
    }

    [Fact]
    public async Task StoreThatDoesNotDeclareTheCancelRule_IsReadFirst_AndACancelledJobIsNotRun()
    {
        var ran = 0;
        CountingStore? counting = null;
        await using var engine = Create(
            startHandler: false,
            () => ran++,
            inner => counting = new CountingStore(inner) { RefusesRunningOverCancelling = false, OverwritesWithRunning = true });
        var job = EngineHarness.NewJob("counter", 0);
        await engine.Store.UpdateAsync(JobKeys.GetOrAssign(job), WithState(job, 1, JobStatus.Cancelling), CancellationToken.None);
        await engine.PutAsync(WithState(job, 1, JobStatus.Queued));

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(1, counting!.Reads);
        Assert.Equal(0, ran);
        Assert.Equal(JobStatus.Cancelled, (await engine.StoredAsync(job)).Status);
    }

    [Fact]
    public async Task StartHandler_ReadsTheStoreFirst()
    {
        CountingStore? counting = null;
        await using var engine = Create(startHandler: true, wrapStore: inner => counting = new CountingStore(inner));
        await engine.PutAsync(EngineHarness.NewJob("counter", 0));

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(1, counting!.Reads);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task StoredCancelling_CancelledWithoutRunningAndNotPutBack(bool startHandler, int cancellingAtSteps)
    {
        var ran = 0;
        await using var engine = Create(startHandler, () => ran++);
        var job = EngineHarness.NewJob("counter", 0);
        await engine.Store.UpdateAsync(JobKeys.GetOrAssign(job), WithState(job, cancellingAtSteps, JobStatus.Cancelling), CancellationToken.None);
        await engine.PutAsync(WithState(job, cancellingAtSteps, JobStatus.Queued));

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(0, ran);
        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Cancelled, stored.Status);
        Assert.Equal(cancellingAtSteps, stored.StepsCompleted);
        Assert.Equal(0, engine.Queue.Count);
        Assert.Single(engine.Signals, s => s.Signal == ErgateSignal.JobRunEnd && s.Job.Status == JobStatus.Cancelled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stale_DroppedWithoutSignalOrUpdate(bool startHandler)
    {
        var ran = 0;
        await using var engine = Create(startHandler, () => ran++);
        var job = EngineHarness.NewJob("counter", 0);
        var final = WithState(job, 3, JobStatus.Completed);
        await engine.Store.UpdateAsync(JobKeys.GetOrAssign(job), final, CancellationToken.None);
        await engine.PutAsync(WithState(job, 3, JobStatus.Queued));

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Stale, result.Outcome);
        Assert.Equal(0, ran);
        Assert.Empty(engine.Signals);
        Assert.Equal(0, engine.Queue.Count);
        Assert.Equal(JobJson.SerializeToString(final), JobJson.SerializeToString(await engine.StoredAsync(job)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StaleWhileNewerStateIsIdlePastRequeueAfter_TheStoredStateIsPutAgain(bool startHandler)
    {
        var time = EngineHarness.FakeTime();
        await using var engine = Create(startHandler, time: time);
        var job = EngineHarness.NewJob("counter", 0);

        // A worker stored step 1's result and died before putting it: the delivery of step 0 is all that is left.
        await engine.Store.UpdateAsync(JobKeys.GetOrAssign(job), WithState(job, 1, JobStatus.Queued), CancellationToken.None);
        await engine.PutAsync(job);
        time.Advance(TimeSpan.FromMinutes(2));

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Stale, result.Outcome);
        Assert.Equal(1, engine.Queue.Count);
        Assert.Equal(2, (await engine.DrainAsync()).Count);
        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(3, stored.LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task StaleWhileNewerStateIsFresh_ReleasedUntilItCountsAsIdle()
    {
        var time = EngineHarness.FakeTime();
        await using var engine = Create(startHandler: false, time: time);
        var job = EngineHarness.NewJob("counter", 0);
        await engine.Store.UpdateAsync(JobKeys.GetOrAssign(job), WithState(job, 1, JobStatus.Queued), CancellationToken.None);
        await engine.PutAsync(job);

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Released, result.Outcome);
        Assert.True(result.ReleaseAfter > TimeSpan.FromMinutes(1), $"Released for {result.ReleaseAfter}.");
        Assert.Equal(1, engine.Queue.Count);
        Assert.Empty(engine.Signals);
    }

    [Fact]
    public async Task RememberedJob_CancellationRecordedElsewhere_CancelledNotRun()
    {
        // This worker stored the job's last state, then another activation (during a failover, say) recorded a
        // cancellation: memory says QUEUED, the store says CANCELLING.
        var ran = 0;
        await using var engine = Create(startHandler: true, () => ran++);
        var processor = engine.Services.GetRequiredService<JobProcessor>();
        var job = EngineHarness.NewJob("counter", 0);
        await engine.Store.UpdateAsync(JobKeys.GetOrAssign(job), WithState(job, 0, JobStatus.Cancelling), CancellationToken.None);
        await engine.PutAsync(job);
        var accepted = await processor.AcceptAsync(await engine.Queue.ReceiveAsync(CancellationToken.None)) ?? throw new InvalidOperationException("The delivery was not accepted.");

        var result = await processor.ProcessAsync(accepted.Job, accepted.Key, new JobMemory { StepsCompleted = 0, Status = JobStatus.Queued });

        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(JobStatus.Cancelled, result.Job!.Status);
        Assert.Equal(0, ran);
        Assert.Equal(JobStatus.Cancelled, (await engine.StoredAsync(job)).Status);
        Assert.Equal(
            [ErgateSignal.JobRunStart, ErgateSignal.JobRunEnd],
            engine.Signals.Select(s => s.Signal));
    }

    [Fact]
    public async Task RefusedForAReasonTheStoreNoLongerShows_ReleasedNotDropped_ThenRuns()
    {
        CountingStore? counting = null;
        await using var engine = Create(startHandler: false, wrapStore: inner => counting = new CountingStore(inner) { RefuseNextRunning = 1 });
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);

        var first = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Released, first.Outcome);
        Assert.Equal(1, engine.Queue.Count);
        Assert.Empty(engine.Signals);
        await engine.DrainAsync();
        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(3, stored.LastReturnValue.GetInt32());
    }

    // Counts reads, and can refuse RUNNING writes with nothing in the store to say why, as when the stored state
    // changes between the refusal and the read that follows it.
    private sealed class CountingStore(InMemoryJobStateStore inner) : IConditionalJobStateStore
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public int RefuseNextRunning { get; set; }

        public bool RefusesRunningOverCancelling { get; init; } = true;

        // As a store written to the contract before RUNNING over CANCELLING was refused (it declares nothing).
        public bool OverwritesWithRunning { get; init; }

        public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.UpdateAsync(jobKey, job, cancellationToken);

        public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
        {
            if (job.Status == JobStatus.Running && RefuseNextRunning > 0)
            {
                RefuseNextRunning--;
                return Task.FromResult(false);
            }

            if (job.Status == JobStatus.Running && OverwritesWithRunning)
            {
                return inner.UpdateAsync(jobKey, job, cancellationToken).ContinueWith(static _ => true, TaskScheduler.Default);
            }

            return inner.TryUpdateAsync(jobKey, job, cancellationToken);
        }

        public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.TryCreateAsync(jobKey, job, cancellationToken);

        public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetAsync(jobKey, cancellationToken);
        }
    }
}
