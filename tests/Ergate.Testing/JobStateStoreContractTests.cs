using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Ergate.Testing;

/// <summary>
/// The behaviour every state store that reads back and refuses stale writes must show. A backend's test class
/// derives from this and overrides <see cref="CreateStoreAsync"/>, and adds facts of its own.
/// </summary>
/// <remarks>
/// The store must take its update times from the given <see cref="TimeProvider"/>, a <see cref="FakeTimeProvider"/>
/// that only the test moves, and must apply <see cref="JobStaleness.IsRefused"/>: a write is refused when stale (its
/// steps completed is lower than the stored one, or equal while the stored status is final) and when it is RUNNING
/// over a stored CANCELLING, at any steps completed.
/// </remarks>
/// <typeparam name="TStore">The backend's store type.</typeparam>
public abstract class JobStateStoreContractTests<TStore> : IAsyncLifetime
    where TStore : class, IConditionalJobStateStore
{
    /// <summary>The clock's time at the start of each test: 2030-01-01 09:00 UTC.</summary>
    protected static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private TStore? _store;

    /// <summary>The clock the store was created with.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The store under test, created before each test.</summary>
    protected TStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates an empty store for one test.</summary>
    /// <param name="time">The clock for update times.</param>
    /// <returns>The store.</returns>
    protected abstract Task<TStore> CreateStoreAsync(TimeProvider time);

    /// <summary>Disposes the store after a test.</summary>
    /// <param name="store">The store.</param>
    /// <returns>A task.</returns>
    protected virtual async ValueTask DisposeStoreAsync(TStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }
    }

    /// <summary>A job "job-1" with the given progress, status and last return value (JSON).</summary>
    /// <param name="stepsCompleted">Steps completed (and current step).</param>
    /// <param name="status">The status.</param>
    /// <param name="lastReturn">The last return value as JSON.</param>
    /// <returns>The job.</returns>
    protected static Job NewJob(int stepsCompleted, JobStatus status, string lastReturn = "null") => new("w")
    {
        Id = JsonValues.Parse("\"job-1\""),
        Status = status,
        StepsCompleted = stepsCompleted,
        CurrentStep = stepsCompleted,
        LastReturnValue = JsonValues.Parse(lastReturn),
    };

    /// <summary>Reads a job that must be stored.</summary>
    /// <param name="key">The job key.</param>
    /// <returns>The stored job.</returns>
    protected async Task<StoredJob> GetStoredAsync(string key) =>
        await Store.GetAsync(key, CancellationToken.None) ?? throw new Xunit.Sdk.XunitException($"Expected job '{key}' in the store, but it is not there.");

    // Stores `stored`, lets ten seconds pass and writes `incoming` conditionally: the write must be refused and the
    // stored state kept as it was, its update time included.
    private async Task AssertRefusedKeepingStoredAsync(Job stored, Job incoming)
    {
        var (steps, status, value) = (stored.StepsCompleted, stored.Status, stored.LastReturnValue.GetString());
        await Store.UpdateAsync("k1", stored, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(10));

        var written = await Store.TryUpdateAsync("k1", incoming, CancellationToken.None);

        Assert.False(written);
        var kept = await GetStoredAsync("k1");
        Assert.Equal(steps, kept.Job.StepsCompleted);
        Assert.Equal(status, kept.Job.Status);
        Assert.Equal(value, kept.Job.LastReturnValue.GetString());
        Assert.Equal(Start, kept.UpdatedAt);
    }

    [Fact]
    public async Task GetAsync_AfterUpdate_ReturnsJobByteForByteAndClockTime()
    {
        Time.Advance(TimeSpan.FromMinutes(5));
        var job = JobJson.Deserialize(
            """{"id": {"k": 1}, "workflow_name": "w", "status": 3, "current_step": 2, "steps_completed": 2, "percent_completed": 66.66666666666667, "initial_input_value": [1, "caf\u00e9"], "last_return_value": {"r": "x"}, "user_context": {"u": true}, "requested_start_time": "2030-01-01T09:30:00", "error": "E: m", "extra": 1}""");

        await Store.UpdateAsync("k1", job, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));
        var stored = await GetStoredAsync("k1");

        Assert.Equal(JobJson.SerializeToString(job), JobJson.SerializeToString(stored.Job));
        Assert.Equal(Start + TimeSpan.FromMinutes(5), stored.UpdatedAt);
    }

    [Fact]
    public async Task GetAsync_UnknownKey_ReturnsNull()
    {
        await Store.UpdateAsync("known", NewJob(1, JobStatus.Running), CancellationToken.None);

        Assert.Null(await Store.GetAsync("unknown", CancellationToken.None));
        Assert.Null(await Store.GetAsync("KNOWN", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_ReturnedJobMutated_StoredJobUnchanged()
    {
        var job = NewJob(1, JobStatus.Running);
        await Store.UpdateAsync("k1", job, CancellationToken.None);

        job.StepsCompleted = 9;
        var first = await GetStoredAsync("k1");
        first.Job.Status = JobStatus.Failed;
        var second = await GetStoredAsync("k1");

        Assert.Equal(1, second.Job.StepsCompleted);
        Assert.Equal(JobStatus.Running, second.Job.Status);
    }

    [Fact]
    public async Task GetAsync_KeysDifferingOnlyInJsonForm_AreDifferentJobs()
    {
        await Store.UpdateAsync("1", NewJob(1, JobStatus.Running), CancellationToken.None);
        await Store.UpdateAsync("\"1\"", NewJob(2, JobStatus.Running), CancellationToken.None);

        Assert.Equal(1, (await GetStoredAsync("1")).Job.StepsCompleted);
        Assert.Equal(2, (await GetStoredAsync("\"1\"")).Job.StepsCompleted);
    }

    [Fact]
    public async Task UpdateAsync_LowerStepsCompleted_OverwritesUnconditionally()
    {
        await Store.UpdateAsync("k1", NewJob(5, JobStatus.Completed), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(3));

        await Store.UpdateAsync("k1", NewJob(2, JobStatus.Running), CancellationToken.None);

        var stored = await GetStoredAsync("k1");
        Assert.Equal(2, stored.Job.StepsCompleted);
        Assert.Equal(JobStatus.Running, stored.Job.Status);
        Assert.Equal(Start + TimeSpan.FromSeconds(3), stored.UpdatedAt);
    }

    [Fact]
    public async Task TryCreateAsync_UnknownKey_StoresJobAtClockTime()
    {
        Time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await Store.TryCreateAsync("k1", NewJob(0, JobStatus.Queued, "\"first\""), CancellationToken.None));

        var stored = await GetStoredAsync("k1");
        Assert.Equal("first", stored.Job.LastReturnValue.GetString());
        Assert.Equal(Start + TimeSpan.FromMinutes(2), stored.UpdatedAt);
    }

    [Theory]
    [InlineData(0, JobStatus.Queued)]
    [InlineData(3, JobStatus.Completed)]
    public async Task TryCreateAsync_TakenKey_RefusesAndKeepsStoredJob(int storedSteps, JobStatus storedStatus)
    {
        await Store.UpdateAsync("k1", NewJob(storedSteps, storedStatus, "\"stored\""), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(await Store.TryCreateAsync("k1", NewJob(0, JobStatus.Queued, "\"second\""), CancellationToken.None));

        var stored = await GetStoredAsync("k1");
        Assert.Equal("stored", stored.Job.LastReturnValue.GetString());
        Assert.Equal(storedStatus, stored.Job.Status);
        Assert.Equal(Start, stored.UpdatedAt);
    }

    [Fact]
    public async Task TryCreateAsync_ManyCallersAtOnce_ExactlyOneCreates()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Store.TryCreateAsync("k1", NewJob(0, JobStatus.Queued, i.ToString(CultureInfo.InvariantCulture)), CancellationToken.None))));

        var winner = Assert.Single(Enumerable.Range(0, 16), i => created[i]);
        Assert.Equal(winner, (await GetStoredAsync("k1")).Job.LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task TryUpdateAsync_UnknownKey_StoresJob()
    {
        var written = await Store.TryUpdateAsync("k1", NewJob(0, JobStatus.Queued), CancellationToken.None);

        Assert.True(written);
        var stored = await GetStoredAsync("k1");
        Assert.Equal(JobStatus.Queued, stored.Job.Status);
        Assert.Equal(Start, stored.UpdatedAt);
    }

    [Fact]
    public async Task TryUpdateAsync_LowerStepsCompleted_RefusesAndKeepsStoredJob()
    {
        await AssertRefusedKeepingStoredAsync(NewJob(5, JobStatus.Running, "\"newer\""), NewJob(4, JobStatus.Queued, "\"older\""));
    }

    [Theory]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Aborted)]
    [InlineData(JobStatus.Cancelled)]
    public async Task TryUpdateAsync_EqualStepsCompletedOverFinalStatus_RefusesAndKeepsStoredJob(JobStatus storedStatus)
    {
        await AssertRefusedKeepingStoredAsync(NewJob(3, storedStatus, "\"final\""), NewJob(3, JobStatus.Running, "\"redelivered\""));
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Cancelling)]
    [InlineData(JobStatus.Scheduled)]
    [InlineData(JobStatus.Pending)]
    public async Task TryUpdateAsync_EqualStepsCompletedOverNonFinalStatus_Accepts(JobStatus storedStatus)
    {
        await Store.UpdateAsync("k1", NewJob(3, storedStatus, "\"before\""), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(10));

        var written = await Store.TryUpdateAsync("k1", NewJob(3, JobStatus.Completed, "\"after\""), CancellationToken.None);

        Assert.True(written);
        var stored = await GetStoredAsync("k1");
        Assert.Equal(JobStatus.Completed, stored.Job.Status);
        Assert.Equal("after", stored.Job.LastReturnValue.GetString());
        Assert.Equal(Start + TimeSpan.FromSeconds(10), stored.UpdatedAt);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    public async Task TryUpdateAsync_HigherStepsCompleted_Accepts(JobStatus storedStatus)
    {
        await Store.UpdateAsync("k1", NewJob(3, storedStatus), CancellationToken.None);

        var written = await Store.TryUpdateAsync("k1", NewJob(4, JobStatus.Queued, "4"), CancellationToken.None);

        Assert.True(written);
        var stored = await GetStoredAsync("k1");
        Assert.Equal(4, stored.Job.StepsCompleted);
        Assert.Equal(JobStatus.Queued, stored.Job.Status);
    }

    [Theory]
    [InlineData(3, JobStatus.Running)]
    [InlineData(4, JobStatus.Running)]
    [InlineData(9, JobStatus.Running)]
    [InlineData(4, JobStatus.Queued)]
    [InlineData(9, JobStatus.Queued)]
    [InlineData(4, JobStatus.Scheduled)]
    public async Task TryUpdateAsync_CarryingOnOverCancelling_RefusesAtAnyStepsAndKeepsStoredJob(int steps, JobStatus status)
    {
        // RUNNING would start a step of a job whose cancellation was asked for; QUEUED or SCHEDULED (a step's result)
        // would write over the request and carry the job on. Either way the worker learns of the request from the refusal.
        await AssertRefusedKeepingStoredAsync(NewJob(3, JobStatus.Cancelling, "\"cancel\""), NewJob(steps, status, "\"started\""));
    }

    [Theory]
    [InlineData(3, JobStatus.Cancelled)]
    [InlineData(4, JobStatus.Cancelled)]
    [InlineData(3, JobStatus.Cancelling)]
    [InlineData(4, JobStatus.Failed)]
    [InlineData(4, JobStatus.Completed)]
    public async Task TryUpdateAsync_FinalOrCancellingOverCancelling_Accepts(int steps, JobStatus status)
    {
        await Store.UpdateAsync("k1", NewJob(3, JobStatus.Cancelling), CancellationToken.None);

        Assert.True(await Store.TryUpdateAsync("k1", NewJob(steps, status), CancellationToken.None));

        var stored = await GetStoredAsync("k1");
        Assert.Equal(steps, stored.Job.StepsCompleted);
        Assert.Equal(status, stored.Job.Status);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Scheduled)]
    [InlineData(JobStatus.Pending)]
    public async Task TryUpdateAsync_RunningOverOtherNonFinalStatus_Accepts(JobStatus storedStatus)
    {
        await Store.UpdateAsync("k1", NewJob(3, storedStatus), CancellationToken.None);

        Assert.True(await Store.TryUpdateAsync("k1", NewJob(3, JobStatus.Running), CancellationToken.None));

        Assert.Equal(JobStatus.Running, (await GetStoredAsync("k1")).Job.Status);
    }

    [Fact]
    public async Task TryUpdateAsync_OtherKey_IsIndependent()
    {
        await Store.UpdateAsync("k1", NewJob(9, JobStatus.Completed), CancellationToken.None);

        Assert.True(await Store.TryUpdateAsync("k2", NewJob(1, JobStatus.Running), CancellationToken.None));
        Assert.Equal(9, (await GetStoredAsync("k1")).Job.StepsCompleted);
        Assert.Equal(1, (await GetStoredAsync("k2")).Job.StepsCompleted);
    }

    [Fact]
    public async Task TryUpdateAsync_ConcurrentStepsFromManyTasks_KeepsHighest()
    {
        const int Steps = 100;
        const int Keys = 20;
        var writes = new List<(string Key, int Steps)>();
        for (var key = 0; key < Keys; key++)
        {
            for (var steps = 1; steps <= Steps; steps++)
            {
                writes.Add(($"k{key}", steps));
            }
        }

        var shuffled = writes.OrderBy(_ => Random.Shared.Next()).ToArray();
        using var gate = new SemaphoreSlim(0);
        var tasks = shuffled.Chunk(shuffled.Length / 16).Select(chunk => Task.Run(async () =>
        {
            await gate.WaitAsync();
            var results = new List<(string Key, int Steps, bool Written)>();
            foreach (var (key, steps) in chunk)
            {
                var job = NewJob(steps, JobStatus.Running, steps.ToString(CultureInfo.InvariantCulture));
                results.Add((key, steps, await Store.TryUpdateAsync(key, job, CancellationToken.None)));
            }

            return results;
        })).ToList();

        gate.Release(tasks.Count);
        var outcomes = (await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60))).SelectMany(r => r).ToList();

        Assert.Equal(Keys * Steps, outcomes.Count);
        Assert.All(outcomes.Where(o => o.Steps == Steps), o => Assert.True(o.Written, $"The final write of {o.Key} was refused."));
        for (var key = 0; key < Keys; key++)
        {
            var stored = await GetStoredAsync($"k{key}");
            Assert.Equal(Steps, stored.Job.StepsCompleted);
            Assert.Equal(Steps, stored.Job.LastReturnValue.GetInt32());
        }
    }

    [Fact]
    public async Task TryUpdateAsync_OneJobStepByStep_EveryWriteAccepted()
    {
        for (var steps = 0; steps <= 5; steps++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await Store.TryUpdateAsync("k1", NewJob(steps, JobStatus.Running), CancellationToken.None));
            Assert.True(await Store.TryUpdateAsync("k1", NewJob(steps, steps == 5 ? JobStatus.Completed : JobStatus.Queued), CancellationToken.None));
        }

        Assert.False(await Store.TryUpdateAsync("k1", NewJob(5, JobStatus.Running), CancellationToken.None));
        var stored = await GetStoredAsync("k1");
        Assert.Equal(JobStatus.Completed, stored.Job.Status);
        Assert.Equal(Start + TimeSpan.FromSeconds(6), stored.UpdatedAt);
    }
}
