using Ergate.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

/// <summary>Registers Ergate's client in an Orleans client.</summary>
public static class ErgateClientBuilderExtensions
{
    /// <summary>Registers <see cref="IJobClient"/> as a singleton over the cluster client.</summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The builder.</returns>
    public static IClientBuilder AddErgate(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IClusterClient>().GetErgateClient());
        return builder;
    }
}
