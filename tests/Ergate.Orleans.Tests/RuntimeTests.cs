using Ergate.Orleans.Tests.TestSupport;

namespace Ergate.Orleans.Tests;

/// <summary>The pump and job grains under duplicates, restarts and silos leaving.</summary>
public sealed class RuntimeTests
{
    [Fact]
    public async Task DuplicateDeliveries_OfCompletedAndFailedJobs_AreDroppedWithoutSignals()
    {
        var fails = 0;
        var signals = 0;
        var failing = new Workflow("failing");
        failing.Step("boom", int (int x) =>
        {
            Interlocked.Increment(ref fails);
            throw new InvalidOperationException("always");
        });
        await using var cluster = await ErgateCluster.StartAsync(1, e => e
            .AddWorkflow(Workflows.Counter(2))
            .AddWorkflow(failing)
            .OnSignal(ErgateSignal.JobRunStart, _ => Interlocked.Increment(ref signals)));
        var done = await cluster.Client.SubmitAsync("counter", input: 0);
        var failed = await cluster.Client.SubmitAsync("failing", input: 0);
        await cluster.WaitForFinalAsync([done, failed]);
        var signalsBefore = signals;

        // Copies of both jobs as they were first queued, and of the completed job mid-way.
        foreach (var id in new[] { done, failed })
        {
            var copy = (await cluster.Client.GetAsync(id))!.ToJob();
            copy.Status = JobStatus.Queued;
            copy.CurrentStep = 0;
            copy.StepsCompleted = 0;
            copy.LastReturnValue = JsonValues.Null;
            await cluster.Queue.PutAsync(copy, CancellationToken.None);
        }

        var midway = (await cluster.Client.GetAsync(done))!.ToJob();
        midway.StepsCompleted = 1;
        midway.CurrentStep = 1;
        midway.Status = JobStatus.Queued;
        await cluster.Queue.PutAsync(midway, CancellationToken.None);
        await WaitUntilAsync(() => cluster.Queue.Count == 0);

        Assert.Equal(signalsBefore, signals);
        Assert.Equal(1, fails);
        Assert.Equal(2, (await cluster.Client.GetAsync(done))!.ToJob().LastReturnValue.GetInt32());
        Assert.Equal(JobStatus.Failed, (await cluster.Client.GetAsync(failed))!.Status);
    }

    [Fact]
    public async Task FirstDeliveries_WithoutAStartHandler_CancelAStoredCancellingJobAndDropAStaleCopyWithoutSignals()
    {
        var ran = 0;
        var ends = 0;
        var counting = new Workflow("counter");
        counting.Step("one", (int x) =>
        {
            Interlocked.Increment(ref ran);
            return x + 1;
        });
        ReadCountingStore? reads = null;
        await using var cluster = await ErgateCluster.StartAsync(
            1,
            e => e.AddWorkflow(counting).OnSignal(ErgateSignal.JobRunEnd, _ => Interlocked.Increment(ref ends)),
            wrapStore: store => reads = new ReadCountingStore(store));

        // No grain remembers these jobs, so no delivery reads the store before its RUNNING write: the store's refusal
        // of that write is what stops a job whose cancellation was recorded (by an activation since gone) and the
        // first copy of a completed job that comes again, and only those two are read, after the refusal.
        var cancelled = NewCounterJob("cancelled");
        var cancelling = cancelled.Clone();
        cancelling.Status = JobStatus.Cancelling;
        await cluster.Store.UpdateAsync(JobKeys.GetOrAssign(cancelled), cancelling, CancellationToken.None);
        var done = NewCounterJob("done");
        var completed = done.Clone();
        completed.Status = JobStatus.Completed;
        completed.StepsCompleted = completed.CurrentStep = 1;
        completed.LastReturnValue = JsonValues.From(1);
        await cluster.Store.UpdateAsync(JobKeys.GetOrAssign(done), completed, CancellationToken.None);
        var fresh = NewCounterJob("fresh");
        await cluster.Store.UpdateAsync(JobKeys.GetOrAssign(fresh), fresh, CancellationToken.None);
        await cluster.Queue.PutAsync(cancelled, CancellationToken.None);
        await cluster.Queue.PutAsync(done, CancellationToken.None);
        await cluster.Queue.PutAsync(fresh, CancellationToken.None);
        await WaitUntilAsync(() => cluster.Queue.Count == 0);

        Assert.Equal(1, ran);
        Assert.Equal(2, ends);
        Assert.Equal(2, reads!.Reads);
        Assert.Equal(JobStatus.Completed, (await cluster.Store.GetAsync(JobKeys.GetOrAssign(fresh), CancellationToken.None))!.Job.Status);
        Assert.Equal(JobStatus.Cancelled, (await cluster.Store.GetAsync(JobKeys.GetOrAssign(cancelled), CancellationToken.None))!.Job.Status);
        var stored = (await cluster.Store.GetAsync(JobKeys.GetOrAssign(done), CancellationToken.None))!.Job;
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(1, stored.LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task PumpDeactivatedMidRun_JobsKeepFlowing()
    {
        await using var cluster = await ErgateCluster.StartAsync(2, e => e.AddWorkflow(Workflows.Counter(5)));
        var ids = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            ids.Add(await cluster.Client.SubmitAsync("counter", input: i));
        }

        await cluster.Pump(0).DeactivateAsync();
        await cluster.Pump(1).DeactivateAsync();
        var finals = await cluster.WaitForFinalAsync(ids);

        Assert.All(ids.Select((id, i) => (id, i)), pair => Assert.Equal(pair.i + 5, finals[pair.id].ToJob().LastReturnValue.GetInt32()));
        Assert.Equal(0, cluster.Queue.Count);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task GracefulStopOfOneSiloOfThree_During1000Jobs_EveryJobCompletesExactly(string backend)
    {
        var database = backend == "sqlite" ? Path.Combine(Path.GetTempPath(), $"ergate-cluster-{Guid.NewGuid():N}.db") : null;
        var runs = new int[1000];
        var workflow = new Workflow("tracked");
        for (var s = 0; s < 4; s++)
        {
            var step = s;
            workflow.Step($"step_{s}", async (int[] state) =>
            {
                await Task.Delay(10);
                if (step == 0)
                {
                    Interlocked.Increment(ref runs[state[0]]);
                }

                return new[] { state[0], state[1] + 1 };
            });
        }

        // Few deliveries in flight per silo, so the run lasts long enough to stop a silo in the middle of it.
        await using var cluster = await ErgateCluster.StartAsync(3, e => e.AddWorkflow(workflow), siloOptions: o => o.MaxInFlight = 8, sqliteDatabase: database);
        var ids = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => cluster.Client.SubmitAsync("tracked", input: new[] { i, 0 })));
        var inFlightOnStoppedSilo = 0;
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while ((inFlightOnStoppedSilo = await cluster.Pump(2).GetInFlightAsync()) == 0)
            {
                await Task.Delay(5, wait.Token);
            }
        }

        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos[2]);
        var finals = await cluster.WaitForFinalAsync(ids, TimeSpan.FromSeconds(90));

        Assert.True(inFlightOnStoppedSilo > 0, "the stopped silo had no work in flight; the test proves nothing");
        for (var i = 0; i < ids.Length; i++)
        {
            var job = finals[ids[i]].ToJob();
            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(new[] { i, 4 }, System.Text.Json.JsonSerializer.Deserialize<int[]>(job.LastReturnValue));
            Assert.Equal(4, job.StepsCompleted);
        }

        if (database is null)
        {
            try
            {
                await WaitUntilAsync(() => cluster.Queue.Count == 0);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the queue still holds {cluster.Queue.Count} message(s), {cluster.Queue.LeasedCount} leased, {cluster.Queue.ReadyCount} ready, {cluster.Queue.DelayedCount} delayed; in flight per pump: {await cluster.Pump(0).GetInFlightAsync()}, {await cluster.Pump(1).GetInFlightAsync()}");
            }

            Assert.Equal(0, cluster.Queue.LeasedCount);
        }
        else
        {
            await WaitUntilAsync(() => SqliteRows(database, "SELECT COUNT(*) FROM ergate_messages") == 0);
            Assert.Equal(0, SqliteRows(database, "SELECT COUNT(*) FROM ergate_messages WHERE lease_id IS NOT NULL"));
            Assert.Equal(0, SqliteRows(database, "SELECT COUNT(*) FROM ergate_dead_letters"));
            Assert.Equal(1000, SqliteRows(database, "SELECT COUNT(*) FROM ergate_jobs WHERE status = 4"));
        }

        Assert.All(runs, count => Assert.Equal(1, count)); // a graceful stop finishes started steps: none runs twice
    }

    [Fact]
    public async Task JobGrainsOverTheCap_DeactivateAfterEachStep_AndJobsStillComplete()
    {
        var seenActive = 0;
        Grains.JobGrainCensus? census = null;
        var workflow = new Workflow("watched");
        for (var s = 0; s < 3; s++)
        {
            workflow.Step($"step_{s}", async (int x) =>
            {
                seenActive = Math.Max(seenActive, census!.Active);
                await Task.Delay(10); // slow enough that every job is started before most finish
                return x + 1;
            });
        }

        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(workflow), siloOptions: o =>
        {
            o.MaxActiveJobGrains = 0;
            o.MaxInFlight = 4;
        });
        census = (Grains.JobGrainCensus)cluster.Cluster.Silos[0].ServiceProvider.GetService(typeof(Grains.JobGrainCensus))!;
        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            // One submission at a time: each activates its grain for a moment, and concurrent ones would all count.
            ids.Add(await cluster.Client.SubmitAsync("watched", input: i));
        }

        var finals = await cluster.WaitForFinalAsync(ids);

        Assert.All(ids.Select((id, i) => (id, i)), pair => Assert.Equal(pair.i + 3, finals[pair.id].ToJob().LastReturnValue.GetInt32()));

        // With no grain kept between steps, only the deliveries in flight (at most 4) and grains being deactivated
        // are active; keeping them would have let all 100 started jobs stay.
        Assert.True(seenActive < 50, $"{seenActive} job grains were active at once");
    }

    [Fact]
    public async Task Submitting_ActivatesNoJobGrain_UntilTheFirstDelivery()
    {
        var workflow = new Workflow("later");
        workflow.Step("only", (int x) => x + 1);
        await using var cluster = await ErgateCluster.StartAsync(2, e => e.AddWorkflow(workflow));
        var censuses = cluster.Cluster.Silos.Select(s => (Grains.JobGrainCensus)s.ServiceProvider.GetService(typeof(Grains.JobGrainCensus))!).ToList();

        var id = await cluster.Client.SubmitAsync("later", input: 1, requestedStartTime: TimeProvider.System.GetUtcNow().AddHours(1));
        var duplicate = await Assert.ThrowsAsync<JobSubmissionException>(() => cluster.Client.SubmitAsync("later", input: 2, id: id));

        // The intake stored and queued the job itself: its grain is activated by its first delivery, on the silo whose
        // pump pulled it, not by the submission on the gateway's silo.
        Assert.Equal(SubmitRejection.AlreadyExists, duplicate.Reason);
        Assert.All(censuses, census => Assert.Equal(0, census.Active));
    }

    [Fact]
    public async Task StoreWithoutAtomicCreate_JobGrainCreatesTheJob_RefusesADuplicateAndRunsIt()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter(2)), wrapStore: store => new ReadableOnlyStore(store));
        var census = (Grains.JobGrainCensus)cluster.Cluster.Silos[0].ServiceProvider.GetService(typeof(Grains.JobGrainCensus))!;

        var id = await cluster.Client.SubmitAsync("counter", input: 5, requestedStartTime: TimeProvider.System.GetUtcNow().AddMilliseconds(300));
        var activeAfterSubmit = census.Active;
        var duplicate = await Assert.ThrowsAsync<JobSubmissionException>(() => cluster.Client.SubmitAsync("counter", input: 9, id: id));
        var finals = await cluster.WaitForFinalAsync([id]);

        // Without TryCreateAsync the intake hands the job to its grain, whose turn-by-turn calls keep the id check and the
        // write from racing: the grain is active from the submission on.
        Assert.Equal(1, activeAfterSubmit);
        Assert.Equal(SubmitRejection.AlreadyExists, duplicate.Reason);
        Assert.Equal(JobStatus.Completed, finals[id].Status);
        Assert.Equal(7, finals[id].ToJob().LastReturnValue.GetInt32());
    }

    // The in-memory store, counting reads.
    private sealed class ReadCountingStore(InMemoryJobStateStore inner) : IConditionalJobStateStore
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public bool RefusesRunningOverCancelling => inner.RefusesRunningOverCancelling;

        public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.UpdateAsync(jobKey, job, cancellationToken);

        public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.TryUpdateAsync(jobKey, job, cancellationToken);

        public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.TryCreateAsync(jobKey, job, cancellationToken);

        public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetAsync(jobKey, cancellationToken);
        }
    }

    // The in-memory store with only the read-back capability: no conditional writes, no atomic create.
    private sealed class ReadableOnlyStore(InMemoryJobStateStore inner) : IReadableJobStateStore
    {
        public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.UpdateAsync(jobKey, job, cancellationToken);

        public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken) => inner.GetAsync(jobKey, cancellationToken);
    }

    [Fact]
    public async Task ReadingFinishedJobs_DoesNotKeepTheirGrainsActive()
    {
        var workflow = new Workflow("read_after");
        workflow.Step("only", (int x) => x + 1);
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(workflow));
        var census = (Grains.JobGrainCensus)cluster.Cluster.Silos[0].ServiceProvider.GetService(typeof(Grains.JobGrainCensus))!;
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await cluster.Client.SubmitAsync("read_after", input: i));
        }

        var finals = await cluster.WaitForFinalAsync(ids); // reads each job until it is final
        for (var round = 0; round < 2; round++)
        {
            foreach (var id in ids)
            {
                Assert.Equal(JobStatus.Completed, (await cluster.Client.GetAsync(id))!.Status);
            }
        }

        // Kept until idle collection (minutes), these grains would count against MaxActiveJobGrains and make the grains
        // of running jobs deactivate after every step.
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (census.Active > 0 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(50, finals.Count);
        Assert.True(census.Active == 0, $"{census.Active} grains of finished jobs were still active 10 s after the last read");
    }

    [Fact]
    public async Task SqliteJobGrain_SettlesTheDeliveryInTheStepsTransaction_UnlessThePumpSentNoDeliveryId()
    {
        var database = Path.Combine(Path.GetTempPath(), $"ergate-cluster-{Guid.NewGuid():N}.db");
        try
        {
            await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter(2)), sqliteDatabase: database);
            var grains = cluster.SiloGrains(0);

            // A delivery id in the SQLite queue's form whose lease nobody holds: the acknowledgement in the transaction
            // matches nothing, but the grain still reports the delivery settled, so the pump would not settle it again.
            var settled = await grains.GetGrain<Grains.IJobRuntimeGrain>("\"direct-1\"").ProcessAsync(new Grains.DeliveryRequest("\"direct-1\"", NewCounterJob("direct-1"), "999999:no-lease"));

            // An older pump sends no delivery id: the grain stores and puts as before and leaves the settlement to it.
            var unsettled = await grains.GetGrain<Grains.IJobRuntimeGrain>("\"direct-2\"").ProcessAsync(new Grains.DeliveryRequest("\"direct-2\"", NewCounterJob("direct-2"), string.Empty));

            Assert.Equal(new DeliveryResult(DeliveryOutcome.Processed, null, Settled: true), settled);
            Assert.Equal(new DeliveryResult(DeliveryOutcome.Processed, null, Settled: false), unsettled);
            var finals = await cluster.WaitForFinalAsync(["direct-1", "direct-2"]);
            Assert.All(finals.Values, f => Assert.Equal(2, f.ToJob().LastReturnValue.GetInt32()));
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(database) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static Job NewCounterJob(string id) => new("counter")
    {
        Id = JsonValues.From(id),
        Status = JobStatus.Queued,
        InitialInputValue = JsonValues.From(0),
    };

    private static long SqliteRows(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
