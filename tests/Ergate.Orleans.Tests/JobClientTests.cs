using System.Text.Json;
using Ergate.Orleans.Tests.TestSupport;

namespace Ergate.Orleans.Tests;

public sealed class JobClientTests
{
    [Fact]
    public async Task SubmitAsync_ThreeStepJob_CompletesWithItsValue()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter()));

        var id = await cluster.Client.SubmitAsync("counter", input: 10);
        var finals = await cluster.WaitForFinalAsync([id]);

        var job = finals[id].ToJob();
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(13, job.LastReturnValue.GetInt32());
        Assert.Equal(10, job.InitialInputValue.GetInt32());
        Assert.Equal(3, job.StepsCompleted);
        Assert.Equal(0, cluster.Queue.Count);
    }

    [Fact]
    public async Task SubmitAsync_Rejections_ExplainAndQueueNothing()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter()), siloOptions: o => o.MaxPayloadBytes = 1000);
        var blocking = await cluster.Client.SubmitAsync("counter", input: 1, id: "taken", requestedStartTime: TimeProvider.System.GetUtcNow().AddHours(1));

        var unknown = await Assert.ThrowsAsync<JobSubmissionException>(() => cluster.Client.SubmitAsync("nope", input: 1));
        var large = await Assert.ThrowsAsync<JobSubmissionException>(() => cluster.Client.SubmitAsync("counter", input: new string('x', 600), userContext: new string('y', 600)));
        var duplicate = await Assert.ThrowsAsync<JobSubmissionException>(() => cluster.Client.SubmitAsync("counter", input: 2, id: "taken"));

        Assert.Equal(SubmitRejection.UnknownWorkflow, unknown.Reason);
        Assert.Equal("No workflow named 'nope' is registered in the cluster; nothing was queued.", unknown.Message);
        Assert.Equal(SubmitRejection.PayloadTooLarge, large.Reason);
        Assert.Equal("The input and user context are 1204 bytes of JSON; the limit is 1000 (Ergate:Silo:MaxPayloadBytes). Nothing was queued.", large.Message);
        Assert.Equal(SubmitRejection.AlreadyExists, duplicate.Reason);
        Assert.Equal("A job with id \"taken\" already exists; nothing was queued.", duplicate.Message);
        Assert.Equal("taken", blocking);
        Assert.Equal(1, cluster.Queue.Count);
        Assert.Equal(1, cluster.Store.Count);
        Assert.Equal(1, (await cluster.Client.GetAsync("taken"))!.ToJob().InitialInputValue.GetInt32());
    }

    [Fact]
    public async Task SubmitWithIdAsync_NumericId_IsOneJobWithItsFloatSpelling()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter(1)));

        await cluster.Client.SubmitWithIdAsync("counter", JsonValues.Parse("42"), input: 1);
        var duplicate = await Assert.ThrowsAsync<JobSubmissionException>(() => cluster.Client.SubmitWithIdAsync("counter", JsonValues.Parse("42.0"), input: 1));

        Assert.Equal(SubmitRejection.AlreadyExists, duplicate.Reason);
        Assert.NotNull(await cluster.Client.GetAsync(JsonValues.Parse("42")));
        Assert.Null(await cluster.Client.GetAsync("42"));
    }

    [Fact]
    public async Task GetAsync_UnknownJob_ReturnsNull()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter()));

        Assert.Null(await cluster.Client.GetAsync("no-such-job"));
        Assert.Equal(CancelResult.NotFound, await cluster.Client.CancelAsync("no-such-job"));
    }

    [Fact]
    public async Task WatchAsync_ReportsEveryStateUntilCompleted()
    {
        var gate = new SemaphoreSlim(0);
        var workflow = new Workflow("gated");
        for (var i = 0; i < 3; i++)
        {
            workflow.Step($"step_{i}", async (int x) =>
            {
                await gate.WaitAsync();
                return x + 1;
            });
        }

        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(workflow));
        var id = await cluster.Client.SubmitAsync("gated", input: 0);
        var seen = new List<JobSnapshot>();

        await foreach (var snapshot in cluster.Client.WatchAsync(id).WithTimeout(TimeSpan.FromSeconds(30)))
        {
            seen.Add(snapshot);
            if (snapshot.Status == JobStatus.Running)
            {
                gate.Release();
            }
        }

        // The first state is the current one: QUEUED, or already RUNNING step 1 (the pump may be quicker than the watch).
        Assert.Contains(seen[0].Status, new[] { JobStatus.Queued, JobStatus.Running });
        Assert.Equal(JobStatus.Completed, seen[^1].Status);
        Assert.Equal(3, seen.Count(s => s.Status == JobStatus.Running));
        Assert.Equal([1, 2, 3], seen.Where(s => s.Status is JobStatus.Queued or JobStatus.Completed && s.StepsCompleted > 0).Select(s => s.StepsCompleted));
        Assert.Equal(3, seen[^1].ToJob().LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task CancelAsync_BeforeItsFirstStep_EndsCancelledWithoutRunning()
    {
        var ran = 0;
        var workflow = new Workflow("later");
        workflow.Step("one", (int x) => Interlocked.Increment(ref ran));
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(workflow));
        // Far enough ahead that the cancel lands first even on a loaded machine (half a second was not always).
        var id = await cluster.Client.SubmitAsync("later", input: 0, requestedStartTime: TimeProvider.System.GetUtcNow().AddSeconds(3));

        var result = await cluster.Client.CancelAsync(id);
        var cancelling = await cluster.Client.GetAsync(id);
        var finals = await cluster.WaitForFinalAsync([id]);

        Assert.Equal(CancelResult.Requested, result);
        Assert.Equal(JobStatus.Cancelling, cancelling!.Status);
        Assert.Equal(JobStatus.Cancelled, finals[id].Status);
        Assert.Equal(0, ran);
        Assert.Equal(CancelResult.AlreadyFinal, await cluster.Client.CancelAsync(id));
    }

    [Fact]
    public async Task CancelAsync_DuringAStep_CancelsItsTokenAndEndsCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new Workflow("slow");
        workflow.Step("wait", async (int x, CancellationToken token) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromMinutes(5), token);
            return x;
        });
        workflow.Step("never", (int x) => x);
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(workflow));
        var id = await cluster.Client.SubmitAsync("slow", input: 0);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var result = await cluster.Client.CancelAsync(id);
        var finals = await cluster.WaitForFinalAsync([id]);

        Assert.Equal(CancelResult.Requested, result);
        var job = finals[id].ToJob();
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Null(job.Error);
        Assert.Equal(0, job.StepsCompleted);
    }

    [Fact]
    public async Task SubmitAsync_FutureStartTime_ScheduledUntilThenRuns()
    {
        var ranAt = new List<DateTimeOffset>();
        var workflow = new Workflow("timed");
        workflow.Step("one", (int x) =>
        {
            ranAt.Add(TimeProvider.System.GetUtcNow());
            return x;
        });
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(workflow));
        var start = TimeProvider.System.GetUtcNow().AddSeconds(1);

        var id = await cluster.Client.SubmitAsync("timed", input: 7, requestedStartTime: start);
        var scheduled = await cluster.Client.GetAsync(id);
        var finals = await cluster.WaitForFinalAsync([id]);

        Assert.Equal(JobStatus.Scheduled, scheduled!.Status);
        Assert.True(RequestedStartTimes.TryParse(scheduled.ToJob().RequestedStartTime!, out var stored));
        Assert.Equal(start, stored, TimeSpan.FromMilliseconds(1));
        Assert.Equal(JobStatus.Completed, finals[id].Status);
        Assert.True(Assert.Single(ranAt) >= start);
    }
}
