using Ergate;
using Ergate.Orleans;
using Ergate.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Hosting;

/// <summary>Adds Ergate to an Orleans silo.</summary>
public static class ErgateSiloBuilderExtensions
{
    /// <summary>
    /// Adds Ergate's engine and Orleans runtime to the silo: the job, intake and pump grains, and the hosted service
    /// that runs the pump while the silo is active. <paramref name="configure"/> adds workflows, the queue and the
    /// state store (shared by every silo of the cluster). Definitions and <see cref="ErgateSiloOptions"/> are validated
    /// when the silo starts.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Configures Ergate.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddErgate(this ISiloBuilder builder, Action<IErgateBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddErgate(ergate =>
        {
            ergate.ClaimSlot("runtime", "Orleans pump");
            configure(ergate);
        });
        builder.Services.AddOptions<ErgateSiloOptions>().ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Ergate.Orleans.Grains.JobGrainCensus>();

        // Registered inside UseOrleans, so it starts after the silo is active and stops before its grains deactivate.
        builder.Services.AddHostedService<PumpHostedService>();
        return builder;
    }
}
