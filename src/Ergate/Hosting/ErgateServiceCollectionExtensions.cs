using Ergate;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Ergate's engine in a service collection.</summary>
public static class ErgateServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine (workflow registry, step runner, job processor) and lets <paramref name="configure"/> add
    /// workflows, a queue, a state store and a runtime. Workflow definitions and <see cref="ErgateOptions"/> are
    /// validated when the host starts; a bad definition stops it with one message listing every problem.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures Ergate.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddErgate(this IServiceCollection services, Action<IErgateBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        configure(services.AddErgateCore());
        return services;
    }

    /// <summary>Registers the engine once and returns a builder over <paramref name="services"/>.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder.</returns>
    public static IErgateBuilder AddErgateCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ErgateBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(ErgateMarker)))
        {
            return builder;
        }

        services.AddSingleton<ErgateMarker>();
        services.AddOptions<ErgateOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WorkflowRegistry(
            sp.GetServices<Workflow>(),
            sp.GetService<IServiceProviderIsService>(),
            sp.GetRequiredService<IOptions<ErgateOptions>>()));
        services.TryAddSingleton<StepRunner>();
        services.TryAddSingleton(sp => new SignalDispatcher(sp.GetServices<SignalHandler>(), sp, sp.GetRequiredService<ILogger<SignalDispatcher>>()));
        services.TryAddSingleton(sp => new DeliveryQueue(
            sp.GetService<IJobQueue>() ?? throw new InvalidOperationException("Ergate has no queue; configure one with UseInMemoryQueue, UseSqliteQueue or UseQueue."),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new JobProcessor(
            sp.GetRequiredService<StepRunner>(),
            sp.GetRequiredService<DeliveryQueue>(),
            sp.GetService<IJobStateStore>() ?? throw new InvalidOperationException("Ergate has no state store; configure one with UseInMemoryStateStore, UseSqliteStateStore or UseStateStore."),
            sp.GetRequiredService<SignalDispatcher>(),
            sp.GetRequiredService<IOptions<ErgateOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<JobProcessor>>()));
        services.TryAddSingleton(sp => new JobRunner(
            sp.GetRequiredService<JobProcessor>(),
            sp.GetRequiredService<IOptions<ErgateOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<JobRunner>>()));

        // Resolving the registry at start validates every definition before any job is pulled.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, WorkflowValidationService>());
        return builder;
    }

    private sealed class ErgateMarker;
}
