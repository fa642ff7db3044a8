using Ergate.Testing;

namespace Ergate.Tests.InMemory;

// The state-store contract (Ergate.Testing) plus what only the in-memory store exposes (its count and keys) and what
// its keeping of each state as an array that exists anyway (the message put, the text a job was read from) must not break.
public sealed class InMemoryJobStateStoreTests : JobStateStoreContractTests<InMemoryJobStateStore>
{
    protected override Task<InMemoryJobStateStore> CreateStoreAsync(TimeProvider time) => Task.FromResult(new InMemoryJobStateStore(time));

    [Fact]
    public async Task Count_TryUpdateUnknownKey_CountsIt()
    {
        Assert.True(await Store.TryUpdateAsync("k1", NewJob(0, JobStatus.Queued), CancellationToken.None));

        Assert.Equal(1, Store.Count);
    }

    [Fact]
    public async Task Keys_TwoJobs_ListsBoth()
    {
        await Store.UpdateAsync("k1", NewJob(9, JobStatus.Completed), CancellationToken.None);
        Assert.True(await Store.TryUpdateAsync("k2", NewJob(1, JobStatus.Running), CancellationToken.None));

        Assert.Equal(2, Store.Count);
        Assert.Equal(["k1", "k2"], Store.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Clear_StoredJobs_ForgetsThemAndTakesNewOnes()
    {
        await Store.UpdateAsync("k1", NewJob(9, JobStatus.Completed), CancellationToken.None);
        await Store.UpdateAsync("k2", NewJob(1, JobStatus.Running), CancellationToken.None);

        Store.Clear();

        Assert.Equal(0, Store.Count);
        Assert.Null(await Store.GetAsync("k1", CancellationToken.None));
        Assert.True(await Store.TryCreateAsync("k1", NewJob(0, JobStatus.Queued), CancellationToken.None));
        Assert.Equal(JobStatus.Queued, (await Store.GetAsync("k1", CancellationToken.None))!.Job.Status);
    }

    [Fact]
    public async Task TryUpdateAsync_JobReadFromTextWithNewStatus_StoresTheTextWithThatStatus()
    {
        var queued = NewJob(2, JobStatus.Queued, "\"value\"");
        var read = JobJson.Deserialize(JobJson.SerializeToUtf8Bytes(queued));
        read.Status = JobStatus.Running;

        Assert.True(await Store.TryUpdateAsync("k1", read, CancellationToken.None));

        var stored = (await Store.GetAsync("k1", CancellationToken.None))!.Job;
        queued.Status = JobStatus.Running;
        Assert.Equal(JobJson.SerializeToString(queued), JobJson.SerializeToString(stored));
        Assert.Equal(JobStatus.Running, stored.Status);
    }

    [Fact]
    public async Task TryUpdateAsync_JobReadFromTextWithNewStatus_LeavesTheTextAsItWas()
    {
        // The entry refers to the text the job was read from (a queue's payload, which nobody may change) and sets the
        // new status only in the copy a read returns.
        var payload = JobJson.SerializeToUtf8Bytes(NewJob(2, JobStatus.Queued, "\"value\""));
        var original = payload.ToArray();
        var read = JobJson.Deserialize(payload);
        read.Status = JobStatus.Running;

        Assert.True(await Store.TryUpdateAsync("k1", read, CancellationToken.None));
        var first = (await GetStoredAsync("k1")).Job;
        var second = (await GetStoredAsync("k1")).Job;

        Assert.Equal(original, payload);
        Assert.Equal(JobStatus.Running, first.Status);
        Assert.Equal(JobJson.SerializeToString(first), JobJson.SerializeToString(second));
        Assert.Equal(JobStatus.Queued, JobJson.Deserialize(payload).Status);
    }

    [Fact]
    public async Task Count_RefusedStaleWrite_AddsNothing()
    {
        await Store.UpdateAsync("k1", NewJob(5, JobStatus.Running), CancellationToken.None);

        Assert.False(await Store.TryUpdateAsync("k1", NewJob(4, JobStatus.Running), CancellationToken.None));

        Assert.Equal(1, Store.Count);
    }

    [Fact]
    public async Task GetAsync_ThenSameLengthWrite_ReadJobKeepsItsValues()
    {
        // A job read before a later write must not see its bytes change.
        await Store.UpdateAsync("k1", NewJob(1, JobStatus.Running, "\"aaaa\""), CancellationToken.None);
        var read = (await GetStoredAsync("k1")).Job;

        await Store.UpdateAsync("k1", NewJob(2, JobStatus.Running, "\"bbbb\""), CancellationToken.None);

        Assert.Equal("aaaa", read.LastReturnValue.GetString());
        Assert.Equal("bbbb", (await GetStoredAsync("k1")).Job.LastReturnValue.GetString());
    }

    [Theory]
    [InlineData("\"short\"", "\"a much longer return value than the slack left in the first buffer, by far\"")]
    [InlineData("\"a much longer return value than the slack left in the first buffer, by far\"", "1")]
    [InlineData("[1,2,3]", "[4,5]")]
    public async Task GetAsync_AfterLongerOrShorterState_ReturnsExactlyTheLatest(string first, string second)
    {
        Assert.True(await Store.TryUpdateAsync("k1", NewJob(1, JobStatus.Running, first), CancellationToken.None));
        var latest = NewJob(2, JobStatus.Running, second);

        Assert.True(await Store.TryUpdateAsync("k1", latest, CancellationToken.None));

        Assert.Equal(JobJson.SerializeToString(latest), JobJson.SerializeToString((await GetStoredAsync("k1")).Job));
    }

    [Theory]
    [InlineData(JobStatus.Queued, true)]
    [InlineData(JobStatus.Scheduled, true)]
    [InlineData(JobStatus.Running, false)]
    [InlineData(JobStatus.Completed, false)]
    public async Task UpdateAsync_CachesTheJsonOnlyOfAStateToBePut(JobStatus status, bool cached)
    {
        // A QUEUED or SCHEDULED state is put on the queue next: the store serializes it into the bytes the job caches,
        // so the put does not serialize it again. Other states leave no array behind.
        var job = NewJob(1, status);

        await Store.UpdateAsync("k1", job, CancellationToken.None);

        Assert.Equal(cached, job.CachedJson is not null);
        Assert.Equal(JobJson.SerializeToString(job), JobJson.SerializeToString((await GetStoredAsync("k1")).Job));
    }
}
