using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ergate;

/// <summary>The core's configuration methods on <see cref="IErgateBuilder"/>.</summary>
public static class ErgateBuilderExtensions
{
    /// <summary>Adds a workflow. Its definition is validated when the host starts.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="workflow">The workflow.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder AddWorkflow(this IErgateBuilder builder, Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(workflow);
        builder.Services.AddSingleton(workflow);
        return builder;
    }

    /// <summary>Uses <paramref name="queue"/> as the job queue.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="queue">The queue; its capability interfaces are discovered by type.</param>
    /// <returns>The builder.</returns>
    /// <remarks>The caller owns <paramref name="queue"/>: the container does not dispose it, so one instance can serve several hosts.</remarks>
    public static IErgateBuilder UseQueue(this IErgateBuilder builder, IJobQueue queue)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(queue);
        builder.ClaimSlot("queue", queue.GetType().Name);
        builder.Services.AddSingleton(queue);
        return builder;
    }

    /// <summary>Uses the queue that <paramref name="factory"/> creates (once) as the job queue.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the queue.</param>
    /// <param name="description">Names the queue in error messages.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder UseQueue(this IErgateBuilder builder, Func<IServiceProvider, IJobQueue> factory, string description = "custom queue")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.ClaimSlot("queue", description);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Uses <paramref name="store"/> as the state store.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store; its capability interfaces are discovered by type.</param>
    /// <returns>The builder.</returns>
    /// <remarks>The caller owns <paramref name="store"/>: the container does not dispose it, so one instance can serve several hosts.</remarks>
    public static IErgateBuilder UseStateStore(this IErgateBuilder builder, IJobStateStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.ClaimSlot("state store", store.GetType().Name);
        builder.Services.AddSingleton(store);
        return builder;
    }

    /// <summary>Uses the store that <paramref name="factory"/> creates (once) as the state store.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <param name="description">Names the store in error messages.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder UseStateStore(this IErgateBuilder builder, Func<IServiceProvider, IJobStateStore> factory, string description = "custom state store")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.ClaimSlot("state store", description);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Uses an <see cref="InMemoryJobQueue"/> (nothing survives the process).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="leaseDuration">The lease duration; default 30 s.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder UseInMemoryQueue(this IErgateBuilder builder, TimeSpan? leaseDuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClaimSlot("queue", "in-memory queue");
        builder.Services.AddSingleton(sp => new InMemoryJobQueue(sp.GetRequiredService<TimeProvider>(), leaseDuration));
        builder.Services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<InMemoryJobQueue>());
        return builder;
    }

    /// <summary>Uses an <see cref="InMemoryJobStateStore"/> (nothing survives the process).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder UseInMemoryStateStore(this IErgateBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClaimSlot("state store", "in-memory state store");
        builder.Services.AddSingleton(sp => new InMemoryJobStateStore(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IJobStateStore>(sp => sp.GetRequiredService<InMemoryJobStateStore>());
        return builder;
    }

    /// <summary>
    /// Runs jobs in this process with a <see cref="JobRunner"/> (Python Ergate's worker loop) as a hosted service.
    /// Orleans hosts use the pump grain instead.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder UseInProcessWorker(this IErgateBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClaimSlot("runtime", "in-process worker");
        builder.Services.AddSingleton<IHostedService, JobRunnerService>();
        return builder;
    }

    /// <summary>Adds a handler for <paramref name="signal"/>. A handler that throws is logged and ignored.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="signal">The signal.</param>
    /// <param name="handler">Receives a copy of the job as it is at that moment.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder OnSignal(this IErgateBuilder builder, ErgateSignal signal, Action<Job> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return builder.OnSignal(signal, (job, _, _) =>
        {
            handler(job);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Adds an asynchronous handler for <paramref name="signal"/>. A handler that throws is logged and ignored.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="signal">The signal.</param>
    /// <param name="handler">Receives a copy of the job, the services and a cancellation token.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder OnSignal(this IErgateBuilder builder, ErgateSignal signal, Func<Job, IServiceProvider, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton(new SignalHandler(signal, handler));
        return builder;
    }

    /// <summary>
    /// Ergate's lifespan hook: <paramref name="onStart"/> runs when the host starts, before jobs are pulled, and
    /// <paramref name="onStop"/> after the worker has stopped.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="onStart">Runs at start.</param>
    /// <param name="onStop">Runs at stop; optional.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder UseLifespan(
        this IErgateBuilder builder,
        Func<IServiceProvider, CancellationToken, Task> onStart,
        Func<IServiceProvider, CancellationToken, Task>? onStop = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(onStart);
        builder.ClaimSlot("lifespan", "lifespan hook");

        // Hosted services start in registration order and stop in reverse: inserted first, it wraps the worker.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new LifespanService(sp, onStart, onStop)));
        return builder;
    }

    /// <summary>Configures <see cref="ErgateOptions"/> in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder Configure(this IErgateBuilder builder, Action<ErgateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
