using Ergate.Testing;
using Ergate.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Tests.Execution;

/// <summary>
/// A cancellation request racing another worker that stores the job's states (a second activation while the cluster
/// disagrees about a silo, another process on the same store): a refused CANCELLING write is written again over the
/// newer state, or reported as too late; and a step's result is not written over a request recorded while the step ran.
/// </summary>
public sealed class CancelRequestTests
{
    // An engine whose store holds `job` at `stepsCompleted`, QUEUED; before each CANCELLING write (up to `races` of them)
    // another worker stores the next state with `racingStatus`.
    private static async Task<(EngineHarness Engine, Job Job, string Key)> ArrangeAsync(int stepsCompleted, JobStatus racingStatus, int races)
    {
        var workflow = new Workflow("counter");
        workflow.Step("step_1", (int x) => x + 1);
        var job = EngineHarness.NewJob("counter", 0);
        var key = JobKeys.ForId(job.Id);
        var engine = EngineHarness.Create(
            e => e.AddWorkflow(workflow),
            wrapStore: inner => new RacingStore(inner, key, JobStatus.Cancelling, stored => State(stored, stored.StepsCompleted + 1, racingStatus), races));
        await engine.Store.UpdateAsync(key, State(job, stepsCompleted, JobStatus.Queued), CancellationToken.None);
        return (engine, job, key);
    }

    private static Job State(Job job, int stepsCompleted, JobStatus status)
    {
        var state = job.Clone();
        state.StepsCompleted = state.CurrentStep = stepsCompleted;
        state.Status = status;
        return state;
    }

    private static Task<CancelResult> RequestCancelAsync(EngineHarness engine, string key, JobMemory? memory = null) =>
        engine.Services.GetRequiredService<JobProcessor>().RequestCancelAsync(key, memory ?? new JobMemory());

    [Fact]
    public async Task RequestCancelAsync_StateMovedOnSinceRead_WritesCancellingOverTheNewerState()
    {
        var (engine, job, key) = await ArrangeAsync(1, JobStatus.Queued, races: 1);
        await using var _ = engine;

        var result = await RequestCancelAsync(engine, key);

        var stored = await engine.StoredAsync(job);
        Assert.Equal(CancelResult.Requested, result);
        Assert.Equal(JobStatus.Cancelling, stored.Status);
        Assert.Equal(2, stored.StepsCompleted);
    }

    [Fact]
    public async Task RequestCancelAsync_JobEndedSinceRead_ReportsAlreadyFinal()
    {
        var (engine, job, key) = await ArrangeAsync(0, JobStatus.Completed, races: 1);
        await using var _ = engine;

        var memory = new JobMemory();

        Assert.Equal(CancelResult.AlreadyFinal, await RequestCancelAsync(engine, key, memory));
        Assert.Equal(JobStatus.Completed, (await engine.StoredAsync(job)).Status);
        Assert.False(memory.IsCancelRequested);
    }

    [Fact]
    public async Task RequestCancelAsync_RefusedEveryTime_FailsRatherThanReportingARequest()
    {
        var (engine, job, key) = await ArrangeAsync(0, JobStatus.Queued, races: int.MaxValue);
        await using var _ = engine;

        var memory = new JobMemory();

        var failure = await Assert.ThrowsAsync<BackendUnavailableException>(() => RequestCancelAsync(engine, key, memory));

        Assert.Equal("cancellation request", failure.Operation);
        Assert.False(memory.IsCancelRequested);
        Assert.NotEqual(JobStatus.Cancelling, (await engine.StoredAsync(job)).Status);
    }

    [Fact]
    public async Task Delivery_CancellationRecordedWhileTheStepRuns_JobEndsCancelledWithTheStepsResult()
    {
        var job = EngineHarness.NewJob(CancelledMidwayWorkflow.Name, 0);
        var workflow = CancelledMidwayWorkflow.Create(JobKeys.ForId(job.Id));
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow));
        await engine.PutAsync(job);

        var result = await engine.Runner.RunOnceAsync();

        var stored = await engine.StoredAsync(job);
        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(JobStatus.Cancelled, stored.Status);
        Assert.Equal(1, stored.StepsCompleted);
        Assert.Equal(1, stored.LastReturnValue.GetInt32());
        Assert.Equal(0, engine.Queue.Count);
        Assert.Equal(JobStatus.Cancelled, engine.Signals.Single(s => s.Signal == ErgateSignal.JobRunEnd).Job.Status);
    }

    [Fact]
    public async Task Delivery_CancelledResultRefusedToo_ReportsTheResultAsItWasNotAsCancelled()
    {
        // The job was cancelled while its step ran, and by the time this worker writes the step's result as CANCELLED,
        // another worker has ended the job already: nothing is stored, and nothing says this worker cancelled it.
        var job = EngineHarness.NewJob(CancelledMidwayWorkflow.Name, 0);
        var key = JobKeys.ForId(job.Id);
        await using var engine = EngineHarness.Create(
            e => e.AddWorkflow(CancelledMidwayWorkflow.Create(key)),
            wrapStore: inner => new RacingStore(inner, key, JobStatus.Cancelled, stored => State(stored, stored.StepsCompleted + 1, JobStatus.Cancelled), races: 1));
        await engine.PutAsync(job);

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Stale, result.Outcome);
        Assert.Equal(JobStatus.Queued, engine.Signals.Single(s => s.Signal == ErgateSignal.JobRunEnd).Job.Status);
        Assert.Equal(JobStatus.Cancelled, (await engine.StoredAsync(job)).Status);
        Assert.Equal(0, engine.Queue.Count);
    }

    // Before each conditional write of `racedStatus` (up to `races` of them), "another worker" stores the state `next`
    // makes of the stored one.
    private sealed class RacingStore(InMemoryJobStateStore inner, string raced, JobStatus racedStatus, Func<Job, Job> next, int races) : IConditionalJobStateStore
    {
        private int _races = races;

        public bool RefusesRunningOverCancelling => true;

        public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.UpdateAsync(jobKey, job, cancellationToken);

        public async Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
        {
            if (jobKey == raced && job.Status == racedStatus && _races-- > 0
                && await inner.GetAsync(jobKey, cancellationToken) is { } stored)
            {
                await inner.UpdateAsync(jobKey, next(stored.Job), cancellationToken);
            }

            return await inner.TryUpdateAsync(jobKey, job, cancellationToken);
        }

        public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.TryCreateAsync(jobKey, job, cancellationToken);

        public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken) => inner.GetAsync(jobKey, cancellationToken);
    }
}
