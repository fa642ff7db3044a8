using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ergate.Sqlite.Tests;

public sealed class SqliteRegistrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static ServiceCollection NewServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        return services;
    }

    [Fact]
    public async Task UseSqliteQueueAndStateStore_OneFile_ResolveTheSqliteTypes()
    {
        var path = _directory.File();
        var services = NewServices();
        services.AddErgate(e => e.UseSqliteQueue(path).UseSqliteStateStore(path));
        await using var provider = services.BuildServiceProvider();

        var queue = Assert.IsType<SqliteJobQueue>(provider.GetRequiredService<IJobQueue>());
        var store = Assert.IsType<SqliteJobStateStore>(provider.GetRequiredService<IJobStateStore>());

        Assert.Same(queue, provider.GetRequiredService<SqliteJobQueue>());
        Assert.Same(store, provider.GetRequiredService<SqliteJobStateStore>());
        Assert.Equal(path, queue.DatabasePath);
        Assert.Equal(path, store.DatabasePath);
        Assert.True(provider.GetRequiredService<DeliveryQueue>().HasLeases);
        Assert.True(provider.GetRequiredService<DeliveryQueue>().HasDeadLetter);
    }

    [Fact]
    public async Task ServiceProvider_DisposedSynchronously_ClosesWithoutError()
    {
        var path = _directory.File();
        var services = NewServices();
        services.AddErgate(e => e.UseSqliteQueue(path).UseSqliteStateStore(path));
        var provider = services.BuildServiceProvider();
        var queue = provider.GetRequiredService<SqliteJobQueue>();
        await queue.PutAsync(new Job("w"), CancellationToken.None);
        await provider.GetRequiredService<SqliteJobStateStore>().UpdateAsync("k", new Job("w"), CancellationToken.None);

        provider.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.PutAsync(new Job("w"), CancellationToken.None));
    }

    [Fact]
    public async Task UseSqliteQueue_ConfigureAction_AppliesOptions()
    {
        var path = _directory.File("configured.db");
        var services = NewServices();
        services.AddErgate(e => e.UseSqliteQueue(o =>
        {
            o.DatabasePath = path;
            o.LeaseDuration = TimeSpan.FromMinutes(2);
        }).UseInMemoryStateStore());
        await using var provider = services.BuildServiceProvider();

        var queue = provider.GetRequiredService<SqliteJobQueue>();

        Assert.Equal(TimeSpan.FromMinutes(2), queue.LeaseDuration);
        Assert.Equal(path, queue.DatabasePath);
    }

    [Fact]
    public async Task UseSqliteQueue_ConfigurationSection_BindsOptions()
    {
        var path = _directory.File("bound.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ergate:Queue:ProviderType"] = "Sqlite",
            ["Ergate:Queue:DatabasePath"] = path,
            ["Ergate:Queue:LeaseDuration"] = "00:01:00",
            ["Ergate:StateStore:DatabasePath"] = path,
        }).Build();
        var services = NewServices();
        services.AddErgate(e => e
            .UseSqliteQueue(configuration.GetSection(SqliteJobQueueOptions.SectionName))
            .UseSqliteStateStore(configuration.GetSection(SqliteJobStateStoreOptions.SectionName)));
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(1), provider.GetRequiredService<SqliteJobQueue>().LeaseDuration);
        Assert.Equal(path, provider.GetRequiredService<SqliteJobStateStore>().DatabasePath);
    }

    [Fact]
    public void UseSqliteQueue_AfterInMemoryQueue_FailsNamingBoth()
    {
        var services = NewServices();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddErgate(e => e.UseInMemoryQueue().UseSqliteQueue(_directory.File())));

        Assert.Contains("'in-memory queue'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'SQLite queue'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseSqliteStateStore_Twice_FailsNamingBoth()
    {
        var services = NewServices();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddErgate(e => e.UseSqliteStateStore(_directory.File()).UseInMemoryStateStore()));

        Assert.Contains("'SQLite state store'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'in-memory state store'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSqliteQueue_InvalidOptions_HostFailsAtStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddErgate(e => e
            .AddWorkflow(Single())
            .UseSqliteQueue(o =>
            {
                o.DatabasePath = _directory.File();
                o.PollInterval = TimeSpan.Zero;
            })
            .UseSqliteStateStore(_directory.File()));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Ergate:Queue:PollInterval must be between", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSqliteQueue_InProcessWorker_HostRunsAJobToCompletion()
    {
        var ended = new TaskCompletionSource<Job>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddErgate(e => e
            .AddWorkflow(Single())
            .UseSqliteQueue(_directory.File())
            .UseSqliteStateStore(_directory.File())
            .UseInProcessWorker()
            .OnSignal(ErgateSignal.JobRunEnd, job => ended.TrySetResult(job)));
        using var host = builder.Build();
        await host.StartAsync();

        await host.Services.GetRequiredService<SqliteJobQueue>().PutAsync(new Job("single") { Id = JsonValues.From("j1"), InitialInputValue = JsonValues.From(41) }, CancellationToken.None);
        var job = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        var stored = await host.Services.GetRequiredService<SqliteJobStateStore>().GetAsync(JobKeys.GetOrAssign(job), CancellationToken.None);
        Assert.Equal(JobStatus.Completed, stored!.Job.Status);
        Assert.Equal(41, stored.Job.LastReturnValue.GetInt32());
    }

    private static Workflow Single()
    {
        var workflow = new Workflow("single");
        workflow.Step("only", (int x) => x);
        return workflow;
    }
}
