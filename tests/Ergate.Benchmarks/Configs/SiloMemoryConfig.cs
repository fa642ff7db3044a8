using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Benchmarks.Configs;

/// <summary><c>silo-memory</c>: one silo over the in-memory queue and store.</summary>
internal sealed class SiloMemoryConfig : SiloConfig
{
    public override string Name => "silo-memory";

    protected override void UseBackend(IErgateBuilder ergate, IServiceCollection services) =>
        ergate.UseInMemoryQueue().UseInMemoryStateStore();

    // An empty state store at the start of every run, as the floor's (whose dictionary is cleared before each run).
    protected override void BeforeRun(IServiceProvider siloServices) =>
        siloServices.GetRequiredService<InMemoryJobStateStore>().Clear();
}
