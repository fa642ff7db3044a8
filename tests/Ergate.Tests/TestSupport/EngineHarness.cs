using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ergate.Tests.TestSupport;

/// <summary>The core engine over in-memory backends (or given ones), with the recorded signals, for tests.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private EngineHarness(ServiceProvider provider, InMemoryJobQueue queue, InMemoryJobStateStore store, List<(ErgateSignal Signal, Job Job)> signals)
    {
        _provider = provider;
        Queue = queue;
        Store = store;
        Signals = signals;
    }

    public InMemoryJobQueue Queue { get; }

    public InMemoryJobStateStore Store { get; }

    public List<(ErgateSignal Signal, Job Job)> Signals { get; }

    public IServiceProvider Services => _provider;

    public JobRunner Runner => _provider.GetRequiredService<JobRunner>();

    public static EngineHarness Create(
        Action<IErgateBuilder> configure,
        Action<IServiceCollection>? services = null,
        Func<InMemoryJobQueue, IJobQueue>? wrapQueue = null,
        Func<InMemoryJobStateStore, IJobStateStore>? wrapStore = null,
        TimeProvider? time = null,
        IReadOnlyCollection<ErgateSignal>? recordedSignals = null)
    {
        time ??= TimeProvider.System;
        var queue = new InMemoryJobQueue(time);
        var store = new InMemoryJobStateStore(time);
        var signals = new List<(ErgateSignal, Job)>();
        var collection = new ServiceCollection().AddLogging();
        collection.AddSingleton(time);
        services?.Invoke(collection);
        collection.AddErgate(ergate =>
        {
            ergate.UseQueue(wrapQueue?.Invoke(queue) ?? queue).UseStateStore(wrapStore?.Invoke(store) ?? store);
            ergate.Configure(o =>
            {
                o.BackendRetryBaseDelay = TimeSpan.FromMilliseconds(1);
                o.BackendRetryMaxDelay = TimeSpan.FromMilliseconds(5);
            });
            // Only the signals asked for get a handler: the engine skips work for a signal nobody handles.
            foreach (var signal in recordedSignals ?? Enum.GetValues<ErgateSignal>())
            {
                ergate.OnSignal(signal, job =>
                {
                    lock (signals)
                    {
                        signals.Add((signal, job));
                    }
                });
            }

            configure(ergate);
        });
        return new EngineHarness(collection.BuildServiceProvider(), queue, store, signals);
    }

    public static Job NewJob(string workflow, object? input = null, string? id = null, object? userContext = null) => new(workflow)
    {
        Id = JsonValues.From(id ?? Guid.NewGuid().ToString("N")),
        InitialInputValue = JsonValues.From(input),
        UserContext = JsonValues.From(userContext),
    };

    public Task PutAsync(Job job) => Queue.PutAsync(job, CancellationToken.None);

    /// <summary>Runs deliveries until the queue is empty; returns each delivery's result.</summary>
    public async Task<List<DeliveryResult>> DrainAsync(int maxDeliveries = 10_000)
    {
        var results = new List<DeliveryResult>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Queue.Count > 0 && results.Count < maxDeliveries)
        {
            results.Add(await Runner.RunOnceAsync(timeout.Token));
        }

        return results;
    }

    public async Task<Job> StoredAsync(Job job) =>
        (await Store.GetAsync(JobKeys.GetOrAssign(job), CancellationToken.None))?.Job ?? throw new InvalidOperationException("The job is not in the store.");

    public static T Value<T>(JsonElement element) => element.Deserialize<T>(ErgateJson.DefaultOptions)!;

    public ValueTask DisposeAsync()
    {
        Queue.Dispose();
        return _provider.DisposeAsync();
    }

    public static FakeTimeProvider FakeTime() => new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
}
