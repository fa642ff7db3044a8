using Ergate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Sqlite.Tests;

public sealed class SqliteEndToEndTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task JobRunner_TwoHundredJobsOfThreeSteps_AllCompleteWithTheirValues()
    {
        const int Jobs = 200;
        var path = _directory.File();
        var workflow = new Workflow("arithmetic");
        workflow.Step("add_one", (int x) => x + 1);
        workflow.Step("double", (int x) => x * 2);
        workflow.Step("minus_three", (int x) => x - 3);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddErgate(e => e.AddWorkflow(workflow).UseSqliteQueue(path).UseSqliteStateStore(path));
        await using var provider = services.BuildServiceProvider();
        var queue = provider.GetRequiredService<SqliteJobQueue>();
        var store = provider.GetRequiredService<SqliteJobStateStore>();
        var runner = provider.GetRequiredService<JobRunner>();
        for (var i = 0; i < Jobs; i++)
        {
            await queue.PutAsync(new Job("arithmetic") { Id = JsonValues.From($"job-{i}"), InitialInputValue = JsonValues.From(i) }, CancellationToken.None);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var deliveries = 0;
        while (await queue.CountAsync() > 0)
        {
            await runner.RunOnceAsync(timeout.Token);
            deliveries++;
        }

        Assert.Equal(Jobs * 3, deliveries);
        for (var i = 0; i < Jobs; i++)
        {
            var key = JobKeys.GetOrAssign(new Job("arithmetic") { Id = JsonValues.From($"job-{i}") });
            var stored = await store.GetAsync(key, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(JobStatus.Completed, stored.Job.Status);
            Assert.Equal(3, stored.Job.StepsCompleted);
            Assert.Equal(((i + 1) * 2) - 3, stored.Job.LastReturnValue.GetInt32());
            Assert.Equal(100.0, stored.Job.PercentCompleted);
        }

        Assert.Empty(await queue.GetDeadLettersAsync());
    }

    [Fact]
    public async Task JobRunner_CancellationRecordedWhileAStepRuns_JobEndsCancelledWithThatStepsResult()
    {
        // Another activation (during a failover) records the cancellation while this worker runs the first step; the
        // step's result, stored with its put and acknowledgement in one transaction, is refused over the request, and
        // the job ends CANCELLED with that result instead of carrying on.
        var path = _directory.File();
        var key = JobKeys.ForId(JsonValues.From("cancelled-midway"));
        var workflow = CancelledMidwayWorkflow.Create(key);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddErgate(e => e.AddWorkflow(workflow).UseSqliteQueue(path).UseSqliteStateStore(path));
        await using var provider = services.BuildServiceProvider();
        var queue = provider.GetRequiredService<SqliteJobQueue>();
        await queue.PutAsync(new Job(CancelledMidwayWorkflow.Name) { Id = JsonValues.From("cancelled-midway"), InitialInputValue = JsonValues.From(0) }, CancellationToken.None);

        var result = await provider.GetRequiredService<JobRunner>().RunOnceAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        var stored = (await provider.GetRequiredService<SqliteJobStateStore>().GetAsync(key, CancellationToken.None))!.Job;
        Assert.Equal(DeliveryOutcome.Processed, result.Outcome);
        Assert.Equal(JobStatus.Cancelled, stored.Status);
        Assert.Equal(1, stored.StepsCompleted);
        Assert.Equal(1, stored.LastReturnValue.GetInt32());
        Assert.Equal(0, await queue.CountAsync());
    }
}
