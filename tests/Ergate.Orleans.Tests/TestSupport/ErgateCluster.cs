using Ergate.Orleans.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Ergate.Orleans.Tests.TestSupport;

/// <summary>An in-process Orleans cluster running Ergate over one in-memory queue and store shared by its silos.</summary>
internal sealed class ErgateCluster : IAsyncDisposable
{
    private ErgateCluster(InProcessTestCluster cluster, InMemoryJobQueue queue, InMemoryJobStateStore store)
    {
        Cluster = cluster;
        Queue = queue;
        Store = store;
    }

    public InProcessTestCluster Cluster { get; }

    public InMemoryJobQueue Queue { get; }

    public InMemoryJobStateStore Store { get; }

    public IJobClient Client => Cluster.Client.GetErgateClient();

    public static async Task<ErgateCluster> StartAsync(
        short silos,
        Action<IErgateBuilder> configure,
        Func<InMemoryJobQueue, IJobQueue>? wrapQueue = null,
        Func<InMemoryJobStateStore, IJobStateStore>? wrapStore = null,
        Action<ErgateSiloOptions>? siloOptions = null,
        TimeSpan? leaseDuration = null,
        string? sqliteDatabase = null)
    {
        var queue = new InMemoryJobQueue(leaseDuration: leaseDuration ?? TimeSpan.FromSeconds(10), sweepInterval: TimeSpan.FromMilliseconds(20));
        var store = new InMemoryJobStateStore();
        var sharedQueue = wrapQueue?.Invoke(queue) ?? queue;
        var sharedStore = wrapStore?.Invoke(store) ?? store;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
            silo.Services.Configure<ErgateSiloOptions>(o =>
            {
                o.PumpCheckInterval = TimeSpan.FromMilliseconds(200);
                siloOptions?.Invoke(o);
            });
            silo.AddErgate(ergate =>
            {
                if (sqliteDatabase is null)
                {
                    ergate.UseQueue(sharedQueue).UseStateStore(sharedStore);
                }
                else
                {
                    // Each silo opens the file itself, as separate processes would.
                    ergate.UseSqliteQueue(o =>
                    {
                        o.DatabasePath = sqliteDatabase;
                        o.LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(10);
                        o.PollInterval = TimeSpan.FromMilliseconds(20);
                    });
                    ergate.UseSqliteStateStore(sqliteDatabase);
                }

                ergate.Configure(o =>
                {
                    o.BackendRetryBaseDelay = TimeSpan.FromMilliseconds(5);
                    o.BackendRetryMaxDelay = TimeSpan.FromMilliseconds(50);
                });
                configure(ergate);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ErgateCluster(cluster, queue, store);
    }

    public IGrainFactory SiloGrains(int silo) => Cluster.Silos[silo].ServiceProvider.GetRequiredService<IGrainFactory>();

    internal IPumpGrain Pump(int silo) => SiloGrains(silo).GetGrain<IPumpGrain>(0);

    /// <summary>Waits until every listed job is final; fails with the stragglers' states after the timeout.</summary>
    public async Task<Dictionary<string, JobSnapshot>> WaitForFinalAsync(IReadOnlyCollection<string> ids, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(60));
        var finals = new Dictionary<string, JobSnapshot>();
        while (true)
        {
            foreach (var id in ids)
            {
                if (!finals.ContainsKey(id) && await Client.GetAsync(id) is { IsFinal: true } snapshot)
                {
                    finals[id] = snapshot;
                }
            }

            if (finals.Count == ids.Count)
            {
                return finals;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                var missing = ids.Where(id => !finals.ContainsKey(id)).Take(5).ToArray();
                var states = await Task.WhenAll(missing.Select(id => Client.GetAsync(id)));
                throw new TimeoutException(
                    $"{ids.Count - finals.Count} of {ids.Count} jobs not final; for example: {string.Join("; ", states.Select(s => s?.ToString() ?? "unknown"))}; " +
                    $"in-memory queue: {Queue.Count} message(s), {Queue.LeasedCount} leased, {Queue.ReadyCount} ready, {Queue.DelayedCount} delayed");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Queue.Dispose();
    }
}
