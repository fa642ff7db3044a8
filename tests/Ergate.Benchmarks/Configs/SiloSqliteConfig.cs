using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Benchmarks.Configs;

/// <summary>
/// <c>silo-sqlite</c>: one silo on the SQLite default (queue and state store on one file, in a fresh temporary
/// folder removed afterwards).
/// </summary>
internal sealed class SiloSqliteConfig : SiloConfig
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ergate-bench-" + Guid.NewGuid().ToString("N"));

    public override string Name => "silo-sqlite";

    protected override void UseBackend(IErgateBuilder ergate, IServiceCollection services)
    {
        var database = Path.Combine(_folder, "ergate.db");
        ergate.UseSqliteQueue(database).UseSqliteStateStore(database);
    }

    protected override ValueTask DisposeBackendAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
