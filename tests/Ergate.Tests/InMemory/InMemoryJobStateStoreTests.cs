using Ergate.Testing;

namespace Ergate.Tests.InMemory;

// The state-store contract (Ergate.Testing) plus what only the in-memory store exposes: its count and keys.
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
    public async Task Count_RefusedStaleWrite_AddsNothing()
    {
        await Store.UpdateAsync("k1", NewJob(5, JobStatus.Running), CancellationToken.None);

        Assert.False(await Store.TryUpdateAsync("k1", NewJob(4, JobStatus.Running), CancellationToken.None));

        Assert.Equal(1, Store.Count);
    }
}
