using System.Globalization;
using Ergate.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Ergate.Tests.InMemory;

public sealed class InMemoryJobStateStoreTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    private static Job NewJob(int stepsCompleted, JobStatus status, string lastReturn = "null") => new("w")
    {
        Id = JsonValues.Parse("\"job-1\""),
        Status = status,
        StepsCompleted = stepsCompleted,
        CurrentStep = stepsCompleted,
        LastReturnValue = JsonValues.Parse(lastReturn),
    };

    [Fact]
    public async Task GetAsync_AfterUpdate_ReturnsJobAndClockTime()
    {
        var store = new InMemoryJobStateStore(_time);
        _time.Advance(TimeSpan.FromMinutes(5));
        var job = JobJson.Deserialize(
            """{"id": {"k": 1}, "workflow_name": "w", "status": 3, "current_step": 2, "steps_completed": 2, "percent_completed": 66.66666666666667, "initial_input_value": [1], "last_return_value": {"r": "x"}, "user_context": {"u": true}, "requested_start_time": "2030-01-01T09:30:00", "extra": 1}""");

        await store.UpdateAsync("k1", job, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var stored = await store.GetAsync("k1", CancellationToken.None);

        Assert.NotNull(stored);
        JobAssert.Equal(job, stored.Job);
        Assert.Equal(Start + TimeSpan.FromMinutes(5), stored.UpdatedAt);
    }

    [Fact]
    public async Task GetAsync_UnknownKey_ReturnsNull()
    {
        var store = new InMemoryJobStateStore(_time);
        await store.UpdateAsync("known", NewJob(1, JobStatus.Running), CancellationToken.None);

        Assert.Null(await store.GetAsync("unknown", CancellationToken.None));
        Assert.Null(await store.GetAsync("KNOWN", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_ReturnedJobMutated_StoredJobUnchanged()
    {
        var store = new InMemoryJobStateStore(_time);
        var job = NewJob(1, JobStatus.Running);
        await store.UpdateAsync("k1", job, CancellationToken.None);

        job.StepsCompleted = 9;
        var first = await store.GetAsync("k1", CancellationToken.None);
        first!.Job.Status = JobStatus.Failed;
        var second = await store.GetAsync("k1", CancellationToken.None);

        Assert.Equal(1, second!.Job.StepsCompleted);
        Assert.Equal(JobStatus.Running, second.Job.Status);
    }

    [Fact]
    public async Task UpdateAsync_LowerStepsCompleted_OverwritesUnconditionally()
    {
        var store = new InMemoryJobStateStore(_time);
        await store.UpdateAsync("k1", NewJob(5, JobStatus.Completed), CancellationToken.None);

        await store.UpdateAsync("k1", NewJob(2, JobStatus.Running), CancellationToken.None);

        var stored = await store.GetAsync("k1", CancellationToken.None);
        Assert.Equal(2, stored!.Job.StepsCompleted);
        Assert.Equal(JobStatus.Running, stored.Job.Status);
    }

    [Fact]
    public async Task TryUpdateAsync_UnknownKey_StoresJob()
    {
        var store = new InMemoryJobStateStore(_time);

        var written = await store.TryUpdateAsync("k1", NewJob(0, JobStatus.Queued), CancellationToken.None);

        Assert.True(written);
        Assert.Equal(1, store.Count);
        Assert.Equal(JobStatus.Queued, (await store.GetAsync("k1", CancellationToken.None))!.Job.Status);
    }

    [Fact]
    public async Task TryUpdateAsync_LowerStepsCompleted_RefusesAndKeepsStoredJob()
    {
        var store = new InMemoryJobStateStore(_time);
        await store.UpdateAsync("k1", NewJob(5, JobStatus.Running, "\"newer\""), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));

        var written = await store.TryUpdateAsync("k1", NewJob(4, JobStatus.Queued, "\"older\""), CancellationToken.None);

        Assert.False(written);
        var stored = await store.GetAsync("k1", CancellationToken.None);
        Assert.Equal(5, stored!.Job.StepsCompleted);
        Assert.Equal(JobStatus.Running, stored.Job.Status);
        Assert.Equal("newer", stored.Job.LastReturnValue.GetString());
        Assert.Equal(Start, stored.UpdatedAt);
    }

    [Theory]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Aborted)]
    [InlineData(JobStatus.Cancelled)]
    public async Task TryUpdateAsync_EqualStepsCompletedOverFinalStatus_RefusesAndKeepsStoredJob(JobStatus storedStatus)
    {
        var store = new InMemoryJobStateStore(_time);
        await store.UpdateAsync("k1", NewJob(3, storedStatus, "\"final\""), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));

        var written = await store.TryUpdateAsync("k1", NewJob(3, JobStatus.Running, "\"redelivered\""), CancellationToken.None);

        Assert.False(written);
        var stored = await store.GetAsync("k1", CancellationToken.None);
        Assert.Equal(storedStatus, stored!.Job.Status);
        Assert.Equal("final", stored.Job.LastReturnValue.GetString());
        Assert.Equal(Start, stored.UpdatedAt);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Cancelling)]
    public async Task TryUpdateAsync_EqualStepsCompletedOverNonFinalStatus_Accepts(JobStatus storedStatus)
    {
        var store = new InMemoryJobStateStore(_time);
        await store.UpdateAsync("k1", NewJob(3, storedStatus, "\"before\""), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));

        var written = await store.TryUpdateAsync("k1", NewJob(3, JobStatus.Completed, "\"after\""), CancellationToken.None);

        Assert.True(written);
        var stored = await store.GetAsync("k1", CancellationToken.None);
        Assert.Equal(JobStatus.Completed, stored!.Job.Status);
        Assert.Equal("after", stored.Job.LastReturnValue.GetString());
        Assert.Equal(Start + TimeSpan.FromSeconds(10), stored.UpdatedAt);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Cancelling)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    public async Task TryUpdateAsync_HigherStepsCompleted_Accepts(JobStatus storedStatus)
    {
        var store = new InMemoryJobStateStore(_time);
        await store.UpdateAsync("k1", NewJob(3, storedStatus), CancellationToken.None);

        var written = await store.TryUpdateAsync("k1", NewJob(4, JobStatus.Queued, "4"), CancellationToken.None);

        Assert.True(written);
        var stored = await store.GetAsync("k1", CancellationToken.None);
        Assert.Equal(4, stored!.Job.StepsCompleted);
        Assert.Equal(JobStatus.Queued, stored.Job.Status);
    }

    [Fact]
    public async Task TryUpdateAsync_OtherKey_IsIndependent()
    {
        var store = new InMemoryJobStateStore(_time);
        await store.UpdateAsync("k1", NewJob(9, JobStatus.Completed), CancellationToken.None);

        Assert.True(await store.TryUpdateAsync("k2", NewJob(1, JobStatus.Running), CancellationToken.None));
        Assert.Equal(2, store.Count);
        Assert.Equal(["k1", "k2"], store.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TryUpdateAsync_ConcurrentStepsFromManyTasks_KeepsHighest()
    {
        const int Steps = 100;
        const int Keys = 20;
        var store = new InMemoryJobStateStore(_time);
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
                results.Add((key, steps, await store.TryUpdateAsync(key, job, CancellationToken.None)));
            }

            return results;
        })).ToList();

        gate.Release(tasks.Count);
        var outcomes = (await Task.WhenAll(tasks)).SelectMany(r => r).ToList();

        Assert.Equal(Keys * Steps, outcomes.Count);
        Assert.All(outcomes.Where(o => o.Steps == Steps), o => Assert.True(o.Written, $"The final write of {o.Key} was refused."));
        for (var key = 0; key < Keys; key++)
        {
            var stored = await store.GetAsync($"k{key}", CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(Steps, stored.Job.StepsCompleted);
            Assert.Equal(Steps, stored.Job.LastReturnValue.GetInt32());
        }
    }
}
