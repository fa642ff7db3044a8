using Ergate.Orleans;

namespace Orleans;

/// <summary>Gets Ergate's <see cref="IJobClient"/> from any grain factory: a cluster client, a silo's services, or a grain.</summary>
public static class ErgateGrainFactoryExtensions
{
    /// <summary>Returns a job client over <paramref name="grains"/>. Cheap: it holds only the factory.</summary>
    /// <param name="grains">An <c>IClusterClient</c>, a silo's <c>IGrainFactory</c>, or a grain's <c>GrainFactory</c>.</param>
    /// <returns>The client.</returns>
    public static IJobClient GetErgateClient(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return new JobClient(grains);
    }
}
