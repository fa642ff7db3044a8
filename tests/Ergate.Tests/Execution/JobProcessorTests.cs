using System.Text;
using Ergate.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Tests.Execution;

/// <summary>Where Python Ergate crashes its worker (conformance README §8), the engine has one outcome and carries on.</summary>
/// <remarks>
/// Run twice: here with a JOB_RUN_START handler (the harness records every signal), so a job's first delivery reads
/// the store before its RUNNING write, and in <see cref="JobProcessorWithoutStartHandlerTests"/> without one, so it
/// does not (the production default with the shipped stores).
/// </remarks>
public class JobProcessorTests
{
    private static readonly ErgateSignal[] WithoutStart = [ErgateSignal.JobRunFail, ErgateSignal.JobRunEnd];

    /// <summary>Whether a JOB_RUN_START handler is registered (and its signals recorded).</summary>
    protected virtual bool AnnouncesStart => true;
    private static Workflow Counter(string name = "counter", int steps = 3)
    {
        var workflow = new Workflow(name);
        for (var i = 1; i <= steps; i++)
        {
            workflow.Step($"step_{i}", (int x) => x + 1);
        }

        return workflow;
    }

    private EngineHarness Create(
        Action<IErgateBuilder> configure,
        Action<IServiceCollection>? services = null,
        Func<InMemoryJobQueue, IJobQueue>? wrapQueue = null,
        Func<InMemoryJobStateStore, IJobStateStore>? wrapStore = null,
        TimeProvider? time = null) =>
        EngineHarness.Create(configure, services, wrapQueue, wrapStore, time, AnnouncesStart ? null : WithoutStart);

    // The signals a test expects, without JOB_RUN_START when no handler for it is registered.
    private IEnumerable<ErgateSignal> Expected(params ErgateSignal[] signals) =>
        AnnouncesStart ? signals : signals.Where(s => s != ErgateSignal.JobRunStart);

    [Fact]
    public async Task Process_UnknownWorkflow_FailsWithErrorAndNextJobRuns()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        var unknown = EngineHarness.NewJob("no_such_workflow", 0);
        var good = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(unknown);
        await engine.PutAsync(good);

        await engine.DrainAsync();

        var failed = await engine.StoredAsync(unknown);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("UnknownWorkflowException: No workflow named 'no_such_workflow' is registered; register it with AddWorkflow, or check the job's workflow_name.", failed.Error);
        Assert.Equal(
            Expected(ErgateSignal.JobRunStart, ErgateSignal.JobRunFail, ErgateSignal.JobRunEnd),
            engine.Signals.Where(s => s.Job.Id.GetString() == unknown.Id.GetString()).Select(s => s.Signal));
        Assert.Equal(JobStatus.Completed, (await engine.StoredAsync(good)).Status);
        Assert.Equal(3, (await engine.StoredAsync(good)).LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task Process_StepIndexOutOfRange_FailsWithErrorAndIsNotRequeued()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        var job = EngineHarness.NewJob("counter", 0);
        job.CurrentStep = 3;
        job.StepsCompleted = 3;
        await engine.PutAsync(job);
        await engine.PutAsync(EngineHarness.NewJob("counter", 0));

        var results = await engine.DrainAsync();

        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Failed, stored.Status);
        Assert.Equal("StepIndexOutOfRangeException: Workflow 'counter' has 3 step(s); the job's current_step 3 is not one of them.", stored.Error);
        Assert.Equal(4, results.Count);
    }

    [Fact]
    public async Task Startup_WorkflowWithNoSteps_RejectedWithEveryProblemListed()
    {
        var empty = new Workflow("empty");
        var duplicate = new Workflow("dup");
        duplicate.Step("a", (int x) => x);
        duplicate.Step("a", (int x) => x);
        var hints = new Workflow("hints");
        hints.Step("first", (int x) => x, paths: [StepPath.GoTo("nowhere")]);
        hints.Step("second", (int x) => x, paths: [StepPath.GoTo("first"), StepPath.GoTo("second")]);
        var services = new ServiceCollection().AddLogging();
        services.AddErgate(e => e.AddWorkflow(empty).AddWorkflow(duplicate).AddWorkflow(hints).AddWorkflow(new Workflow("dup")).UseInMemoryQueue().UseInMemoryStateStore());
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<WorkflowDefinitionException>(() => provider.GetRequiredService<WorkflowRegistry>());

        Assert.Equal(
            [
                "Workflow 'empty' has no steps; add at least one.",
                "Workflow 'dup': step name 'a' is used more than once; step names must be unique.",
                "Workflow 'hints', step 'first': path hint GoTo('nowhere') names no step of this workflow.",
                "Workflow 'hints', step 'second': path hint GoTo('first') is not after this step; GoToStep may only jump forward.",
                "Workflow 'hints', step 'second': path hint GoTo('second') is not after this step; GoToStep may only jump forward.",
                "Two workflows are named 'dup'; workflow names must be unique.",
            ],
            error.Problems);
    }

    [Fact]
    public async Task Process_LastStepReturnsWithoutNextHint_CompletesInsteadOfRequeuing()
    {
        var workflow = new Workflow("end_hint");
        workflow.Step("first", (int x) => x + 1);
        workflow.Step("last", (int x) => { }, paths: [StepPath.End]);
        await using var engine = Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("end_hint", 0);
        await engine.PutAsync(job);

        var results = await engine.DrainAsync();

        Assert.Equal(2, results.Count);
        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(2, stored.CurrentStep);
        Assert.Equal(2, stored.StepsCompleted);
        Assert.Equal(100.0, stored.PercentCompleted);
    }

    [Fact]
    public async Task Create_SameKeyTwice_SecondRefusedAndJobQueuedOnce()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        var processor = engine.Services.GetRequiredService<JobProcessor>();
        var job = EngineHarness.NewJob("counter", 0, id: "once");
        var key = JobKeys.GetOrAssign(job);

        Assert.True(processor.CreatesAtomically);
        Assert.True(await processor.CreateAsync(job, key, null, new JobMemory()));
        Assert.False(await processor.CreateAsync(EngineHarness.NewJob("counter", 7, id: "once"), key, null, new JobMemory()));

        Assert.Equal(1, engine.Queue.Count);
        Assert.Equal(0, (await engine.StoredAsync(job)).InitialInputValue.GetInt32());
    }

    [Fact]
    public async Task Create_ManyCallersAtOnceForOneKey_ExactlyOneCreates()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        var processor = engine.Services.GetRequiredService<JobProcessor>();
        var key = JobKeys.GetOrAssign(EngineHarness.NewJob("counter", 0, id: "raced"));

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            processor.CreateAsync(EngineHarness.NewJob("counter", i, id: "raced"), key, null, new JobMemory()))));

        Assert.Single(created, c => c);
        Assert.Equal(1, engine.Queue.Count);
    }

    [Fact]
    public async Task Create_StoreWritesButItsReplyIsLost_RetryCountsTheWriteAsCreatedAndQueuesTheJob()
    {
        FaultyJobStateStore? faulty = null;
        await using var engine = Create(e => e.AddWorkflow(Counter()), wrapStore: s => faulty = new FaultyJobStateStore(s));
        var processor = engine.Services.GetRequiredService<JobProcessor>();
        var job = EngineHarness.NewJob("counter", 0, id: "lost-reply");
        faulty!.FailAfterNextWrites(1);

        // Without the check, the retry would find the key taken, report the job as a duplicate and never queue it.
        Assert.True(await processor.CreateAsync(job, JobKeys.GetOrAssign(job), null, new JobMemory()));

        Assert.Equal(1, engine.Queue.Count);
        await engine.DrainAsync();
        Assert.Equal(3, (await engine.StoredAsync(job)).LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task Process_StoreFailsTwice_RetriedAndJobCompletes()
    {
        FaultyJobStateStore? faulty = null;
        await using var engine = Create(e => e.AddWorkflow(Counter()), wrapStore: s => faulty = new FaultyJobStateStore(s));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);
        faulty!.FailNextWrites(2);

        var results = await engine.DrainAsync();

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Processed, r.Outcome));
        Assert.Equal(3, (await engine.StoredAsync(job)).LastReturnValue.GetInt32());
        Assert.Equal(8, faulty.Attempts);
    }

    [Fact]
    public async Task Process_StoreKeepsFailing_DeliveryReleasedNotDroppedThenCompletes()
    {
        FaultyJobStateStore? faulty = null;
        await using var engine = Create(e => e.AddWorkflow(Counter()), wrapStore: s => faulty = new FaultyJobStateStore(s));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);
        faulty!.FailNextWrites(ErgateOptions.DefaultBackendRetryAttempts);

        var first = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Released, first.Outcome);
        Assert.Equal(1, engine.Queue.Count);
        Assert.Equal(ErgateSignal.JobRunEnd, engine.Signals[^1].Signal);

        await engine.DrainAsync();

        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(3, stored.LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task Process_PutKeepsFailing_StoredStateIsPutAgainLater()
    {
        FaultyJobQueue? faulty = null;
        await using var engine = Create(
            e => e.AddWorkflow(Counter()).Configure(o => o.RequeueAfter = TimeSpan.FromSeconds(1)),
            wrapQueue: q => faulty = new FaultyJobQueue(q));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);
        faulty!.FailNextPuts(ErgateOptions.DefaultBackendRetryAttempts);

        var first = await engine.Runner.RunOnceAsync();
        var stale = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Released, first.Outcome);
        Assert.Equal(DeliveryOutcome.Stale, stale.Outcome);
        Assert.Equal(1, engine.Queue.Count);
        await engine.DrainAsync();
        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(3, stored.LastReturnValue.GetInt32());
        Assert.Equal(0, engine.Queue.Count);
    }

    [Fact]
    public async Task Accept_InvalidData_DeadLetteredAndNextJobRuns()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        await engine.Queue.PutRawAsync(Encoding.UTF8.GetBytes("""{"id":"bad","current_step":-1}"""));
        var good = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(good);

        var results = await engine.DrainAsync();

        Assert.Equal(DeliveryOutcome.DeadLettered, results[0].Outcome);
        var letter = Assert.Single(engine.Queue.DeadLetters);
        Assert.Equal("Not a valid job: 'current_step' must be an integer from 0 to 2147483647, not -1.", letter.Reason);
        Assert.Equal(JobStatus.Completed, (await engine.StoredAsync(good)).Status);
    }

    [Fact]
    public async Task Signals_HandlerThrows_IgnoredAndJobCompletes()
    {
        await using var engine = Create(e => e
            .AddWorkflow(Counter())
            .OnSignal(ErgateSignal.JobRunStart, _ => throw new InvalidOperationException("handler bug")));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);

        await engine.DrainAsync();

        Assert.Equal(JobStatus.Completed, (await engine.StoredAsync(job)).Status);
        Assert.Equal(3, engine.Signals.Count(s => s.Signal == ErgateSignal.JobRunEnd));
    }

    [Fact]
    public async Task Process_StaleCopyAfterProgress_DroppedWithoutSignalOrUpdate()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);
        await engine.Runner.RunOnceAsync();
        await engine.Runner.RunOnceAsync();
        var before = await engine.StoredAsync(job);
        var signals = engine.Signals.Count;

        await engine.PutAsync(job);
        var results = await engine.DrainAsync();

        Assert.Equal([DeliveryOutcome.Processed, DeliveryOutcome.Stale], results.Select(r => r.Outcome));
        Assert.Equal(signals + Expected(ErgateSignal.JobRunStart, ErgateSignal.JobRunEnd).Count(), engine.Signals.Count);
        var after = await engine.StoredAsync(job);
        Assert.Equal(before.StepsCompleted + 1, after.StepsCompleted);
        Assert.Equal(JobStatus.Completed, after.Status);
    }

    [Fact]
    public async Task Process_DuplicateOfFailedDelivery_Dropped()
    {
        var workflow = new Workflow("fails");
        workflow.Step("boom", int (int x) => throw new InvalidOperationException("always"));
        await using var engine = Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("fails", 0);
        await engine.PutAsync(job);
        await engine.PutAsync(job);

        var results = await engine.DrainAsync();

        Assert.Equal([DeliveryOutcome.Processed, DeliveryOutcome.Stale], results.Select(r => r.Outcome));
        Assert.Single(engine.Signals, s => s.Signal == ErgateSignal.JobRunFail);
    }

    [Fact]
    public async Task Process_CancelRequested_EndsCancelledWithoutRunning()
    {
        var ran = 0;
        var workflow = new Workflow("cancel");
        workflow.Step("one", (int x) => ++ran);
        await using var engine = Create(e => e.AddWorkflow(workflow));
        var processor = engine.Services.GetRequiredService<JobProcessor>();
        await engine.PutAsync(EngineHarness.NewJob("cancel", 0));
        var accepted = Assert.NotNull(await processor.AcceptAsync(await engine.Queue.ReceiveAsync(CancellationToken.None)));

        var result = await processor.ProcessAsync(accepted.Job, accepted.Key, new JobMemory { IsCancelRequested = true });

        Assert.Equal(JobStatus.Cancelled, result.Job!.Status);
        Assert.Equal(0, ran);
        Assert.Equal(1, engine.Queue.Count); // only the delivery, still leased: nothing was put back
    }

    [Fact]
    public async Task Process_StepTokenCancelled_EndsCancelledNotFailed()
    {
        using var cancel = new CancellationTokenSource();
        var workflow = new Workflow("slow");
        workflow.Step("wait", async (int x, CancellationToken token) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
        });
        await using var engine = Create(e => e.AddWorkflow(workflow));
        var processor = engine.Services.GetRequiredService<JobProcessor>();
        await engine.PutAsync(EngineHarness.NewJob("slow", 0));
        var accepted = Assert.NotNull(await processor.AcceptAsync(await engine.Queue.ReceiveAsync(CancellationToken.None)));

        var result = await processor.ProcessAsync(accepted.Job, accepted.Key, new JobMemory(), cancel.Token);

        Assert.Equal(JobStatus.Cancelled, result.Job!.Status);
        Assert.DoesNotContain(engine.Signals, s => s.Signal == ErgateSignal.JobRunFail);
    }

    [Theory]
    [InlineData(0, JobStatus.Cancelled)]
    [InlineData(2, JobStatus.Completed)]
    public async Task Process_StepFinishesWhileCancelPending_CancelledUnlessLast(int currentStep, JobStatus expected)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new Workflow("blocking");
        for (var i = 0; i < 3; i++)
        {
            workflow.Step($"step_{i}", async (int x) =>
            {
                started.SetResult();
                await finish.Task;
                return x + 1;
            });
        }

        await using var engine = Create(e => e.AddWorkflow(workflow));
        var processor = engine.Services.GetRequiredService<JobProcessor>();
        var job = EngineHarness.NewJob("blocking", 0);
        job.CurrentStep = currentStep;
        job.StepsCompleted = currentStep;
        job.LastReturnValue = JsonValues.From(currentStep);
        var memory = new JobMemory();

        var running = processor.ProcessAsync(job, JobKeys.GetOrAssign(job), memory);
        await started.Task;
        memory.IsCancelRequested = true;
        finish.SetResult();
        var result = await running;

        Assert.Equal(expected, result.Job!.Status);
        Assert.Equal(currentStep + 1, result.Job.StepsCompleted);
        Assert.Equal(0, engine.Queue.Count); // not put back
    }

    [Fact]
    public async Task Runner_MinimalQueueAndStore_RunsJobsToCompletion()
    {
        var queue = new MinimalJobQueue();
        var store = new MinimalJobStateStore();
        var services = new ServiceCollection().AddLogging();
        services.AddErgate(e => e.AddWorkflow(Counter()).UseQueue(queue).UseStateStore(store));
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<JobRunner>();
        for (var i = 0; i < 5; i++)
        {
            await queue.PutAsync(EngineHarness.NewJob("counter", i * 10), CancellationToken.None);
        }

        while (queue.Count > 0)
        {
            await runner.RunOnceAsync();
        }

        var finals = store.Updates.Where(j => j.Status == JobStatus.Completed).Select(j => j.LastReturnValue.GetInt32()).Order();
        Assert.Equal([3, 13, 23, 33, 43], finals);
        Assert.Equal(30, store.Updates.Count);
    }

    [Fact]
    public async Task Runner_MinimalStore_StaleCopyDetectedFromMemory()
    {
        var queue = new MinimalJobQueue();
        var store = new MinimalJobStateStore();
        var services = new ServiceCollection().AddLogging();
        services.AddErgate(e => e.AddWorkflow(Counter()).UseQueue(queue).UseStateStore(store));
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<JobRunner>();
        var job = EngineHarness.NewJob("counter", 0);
        await queue.PutAsync(job, CancellationToken.None);
        await runner.RunOnceAsync();
        await queue.PutAsync(job, CancellationToken.None);

        var results = new List<DeliveryResult>();
        while (queue.Count > 0)
        {
            results.Add(await runner.RunOnceAsync());
        }

        Assert.Equal(
            [DeliveryOutcome.Processed, DeliveryOutcome.Stale, DeliveryOutcome.Processed],
            results.Select(r => r.Outcome));
        Assert.Equal(JobStatus.Completed, results[^1].Job!.Status);
    }

    [Fact]
    public async Task Process_LongStep_LeaseRenewedSoTheJobIsNotDeliveredTwice()
    {
        var runs = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new Workflow("long");
        workflow.Step("wait", async (int x) =>
        {
            Interlocked.Increment(ref runs);
            started.TrySetResult();
            await finish.Task;
            return x;
        });
        var time = EngineHarness.FakeTime();
        await using var engine = Create(e => e.AddWorkflow(workflow).Configure(o => o.WorkerConcurrency = 2), time: time);
        await engine.PutAsync(EngineHarness.NewJob("long", 1));
        using var stop = new CancellationTokenSource();
        var running = engine.Runner.RunAsync(stop.Token);
        await started.Task;

        // Three lease durations pass while the step runs; a second loop is idle and would take an expired lease.
        for (var i = 0; i < 12; i++)
        {
            time.Advance(engine.Queue.LeaseDuration / 4);
            await Task.Delay(20);
        }

        Assert.Equal(1, engine.Queue.LeasedCount);
        finish.SetResult();
        while (engine.Queue.Count > 0)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Deliver_StaleWhileNewerStateIsFresh_ReleasedUntilIdleThenItsLostPutIsMadeGood()
    {
        var time = EngineHarness.FakeTime();
        await using var engine = Create(e => e.AddWorkflow(Counter()), time: time);
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);

        // A worker ran step 1 and stored its result, then died before putting the job back: the delivery of step 0 is
        // all that is left on the queue.
        var next = job.Clone();
        next.StepsCompleted = next.CurrentStep = 1;
        next.LastReturnValue = JsonValues.From(1);
        await engine.Store.UpdateAsync(JobKeys.GetOrAssign(job), next, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));

        var held = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Released, held.Outcome);
        Assert.Equal(1, engine.Queue.Count);
        time.Advance(held.ReleaseAfter);
        var requeued = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Stale, requeued.Outcome);
        Assert.Equal(2, (await engine.DrainAsync()).Count);
        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(3, stored.LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task GoToStep_ByStepReference_JumpsForward()
    {
        var workflow = new Workflow("jump");
        WorkflowStep? last = null;
        workflow.Step("first", int (int x) => throw new GoToStep(last!, x + 100));
        workflow.Step("skipped", (int x) => -1);
        last = workflow.Step("last", (int x) => x);
        await using var engine = Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("jump", 1);
        await engine.PutAsync(job);

        var results = await engine.DrainAsync();

        Assert.Equal(2, results.Count);
        Assert.Equal(101, (await engine.StoredAsync(job)).LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task Process_WorkflowChangedWhileJobInFlight_FailsInsteadOfRunningTheWrongStep()
    {
        var before = new Workflow("evolving");
        before.Step("reserve", (int x) => x + 1);
        before.Step("charge", (int x) => x + 10);
        var after = new Workflow("evolving");
        after.Step("reserve", (int x) => x + 1);
        after.Step("audit", (int x) => -1);
        after.Step("charge", (int x) => x + 10);
        Job queued;
        await using (var old = Create(e => e.AddWorkflow(before)))
        {
            await old.PutAsync(EngineHarness.NewJob("evolving", 0));
            queued = (await old.Runner.RunOnceAsync()).Job!;
        }

        await using var engine = Create(e => e.AddWorkflow(after));
        await engine.PutAsync(queued);
        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal("charge", queued.ErgateStep);
        Assert.Equal(JobStatus.Failed, result.Job!.Status);
        Assert.Equal(
            "WorkflowChangedException: Workflow 'evolving' changed while the job was in flight: it was queued for step 'charge' at index 1, but the deployed workflow has 'audit' there; the job was not run further.",
            result.Job.Error);
    }

    [Fact]
    public async Task Runner_MinimalQueueAndStoreFailing_KeepsTheJobInHandAndRetriesIt()
    {
        var queue = new MinimalJobQueue();
        var store = new FaultyJobStateStore(new InMemoryJobStateStore());
        var services = new ServiceCollection().AddLogging();
        services.AddErgate(e => e
            .AddWorkflow(Counter(steps: 1))
            .UseQueue(queue)
            .UseStateStore(store)
            .Configure(o =>
            {
                o.BackendRetryBaseDelay = TimeSpan.FromMilliseconds(1);
                o.BackendRetryMaxDelay = TimeSpan.FromMilliseconds(20);
            }));
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<JobRunner>();
        var job = EngineHarness.NewJob("counter", 41);
        await queue.PutAsync(job, CancellationToken.None);
        store.FailNextWrites(ErgateOptions.DefaultBackendRetryAttempts);

        var first = await runner.RunOnceAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var second = await runner.RunOnceAsync(timeout.Token); // the queue is empty: only the job in hand can come

        Assert.Equal(DeliveryOutcome.Released, first.Outcome);
        Assert.Equal(DeliveryOutcome.Processed, second.Outcome);
        Assert.Equal(42, second.Job!.LastReturnValue.GetInt32());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Deliver_QueueThatRequeues_PutsEachNextStateAsItAcknowledges()
    {
        RequeueingJobQueue? queue = null;
        await using var engine = Create(e => e.AddWorkflow(Counter()), wrapQueue: inner => queue = new RequeueingJobQueue(inner));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);

        var results = await engine.DrainAsync();

        Assert.Equal(3, results.Count);
        Assert.Equal(3, (await engine.StoredAsync(job)).LastReturnValue.GetInt32());
        Assert.Equal(JobStatus.Completed, (await engine.StoredAsync(job)).Status);
        Assert.Equal(2, queue!.Requeues);
        Assert.Equal(0, queue.Puts);
        Assert.Equal(1, queue.Acknowledgements);
        Assert.Equal(0, engine.Queue.Count);
        Assert.Equal(
            Expected(ErgateSignal.JobRunStart, ErgateSignal.JobRunEnd, ErgateSignal.JobRunStart, ErgateSignal.JobRunEnd, ErgateSignal.JobRunStart, ErgateSignal.JobRunEnd),
            engine.Signals.Select(s => s.Signal));
    }

    [Fact]
    public async Task Deliver_RequeueFailsOnce_IsRetriedAndTheJobGoesOnOnce()
    {
        RequeueingJobQueue? queue = null;
        await using var engine = Create(e => e.AddWorkflow(Counter()), wrapQueue: inner => queue = new RequeueingJobQueue(inner));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);
        queue!.FailNextRequeues(1);

        var results = await engine.DrainAsync();

        Assert.Equal(3, results.Count);
        Assert.Equal(3, (await engine.StoredAsync(job)).LastReturnValue.GetInt32());
        Assert.Equal(2, queue.Requeues);
        Assert.Equal(0, engine.Queue.Count);
    }

    [Fact]
    public async Task Deliver_RequeueKeepsFailing_ReleasesTheDeliveryUntilTheStoredStateCountsAsIdle()
    {
        RequeueingJobQueue? queue = null;
        await using var engine = Create(e => e.AddWorkflow(Counter()), wrapQueue: inner => queue = new RequeueingJobQueue(inner));
        var job = EngineHarness.NewJob("counter", 0);
        await engine.PutAsync(job);
        queue!.FailNextRequeues(int.MaxValue);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await engine.Runner.RunOnceAsync(timeout.Token);

        // The step's state is stored; the delivery is neither acknowledged nor left to its lease, but released to come
        // back once that state has been idle past RequeueAfter (then the stale path puts it again).
        var stored = await engine.StoredAsync(job);
        Assert.Equal(1, stored.StepsCompleted);
        Assert.Equal(JobStatus.Queued, stored.Status);
        Assert.Equal(0, queue.Requeues);
        Assert.Equal(0, engine.Queue.LeasedCount);
        Assert.Equal(1, engine.Queue.DelayedCount);
    }

    [Fact]
    public async Task RunOnce_CancelledWithAJobReady_ThrowsAndLeavesTheJobQueued()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        await engine.PutAsync(EngineHarness.NewJob("counter", 0));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await engine.Runner.RunOnceAsync(new CancellationToken(canceled: true)));

        Assert.Equal(1, engine.Queue.ReadyCount);
        Assert.Equal(0, engine.Queue.LeasedCount);
        Assert.Empty(engine.Signals);
    }

    [Fact]
    public async Task RunOnce_NothingReady_WaitsForThePutThenProcessesIt()
    {
        await using var engine = Create(e => e.AddWorkflow(Counter()));
        var job = EngineHarness.NewJob("counter", 0);

        var run = engine.Runner.RunOnceAsync().AsTask();
        Assert.False(run.IsCompleted);
        await engine.PutAsync(job);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(1, (await engine.StoredAsync(job)).StepsCompleted);
        Assert.Equal(0, engine.Queue.LeasedCount);
    }

    [Fact]
    public async Task Run_TwoLoopsGetTheSameJobTwice_SecondWaitsForTheFirstThenIsDroppedAsStale()
    {
        var inside = 0;
        var mostInside = 0;
        var runs = 0;
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new Workflow("held");
        workflow.Step("hold", async (int x) =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            Interlocked.Increment(ref runs);
            await finish.Task;
            Interlocked.Decrement(ref inside);
            return x + 1;
        });
        await using var engine = Create(e => e.AddWorkflow(workflow).Configure(o => o.WorkerConcurrency = 2));
        var job = EngineHarness.NewJob("held", 0, id: "dup");
        await engine.PutAsync(job);
        await engine.PutAsync(job.Clone());
        using var stop = new CancellationTokenSource();
        var running = engine.Runner.RunAsync(stop.Token);

        // Both copies are taken: one runs its step, the other waits for the job's gate.
        await WaitUntilAsync(() => Volatile.Read(ref runs) == 1 && engine.Queue.LeasedCount == 2);
        finish.SetResult();
        await WaitUntilAsync(() => engine.Queue.Count == 0);
        await stop.CancelAsync();
        await running;

        Assert.Equal(1, runs);
        Assert.Equal(1, mostInside);
        Assert.Equal(JobStatus.Completed, (await engine.StoredAsync(job)).Status);
        Assert.Equal(AnnouncesStart ? 1 : 0, engine.Signals.Count(s => s.Signal == ErgateSignal.JobRunStart));
        Assert.Equal(1, engine.Signals.Count(s => s.Signal == ErgateSignal.JobRunEnd && s.Job.Status == JobStatus.Completed));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
