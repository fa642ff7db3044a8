using System.Text;

namespace Ergate.Benchmarks.Configs;

/// <summary>Every configuration by name, in order of increasing footprint (the order of the report).</summary>
internal static class ConfigCatalog
{
    private static readonly Entry[] Entries =
    [
        new("floor", true, "hand-written bare C#: typed job, source-generated JSON, Channel<byte[]>, ConcurrentDictionary store, 1 worker", () => new FloorConfig()),
        new("engine-inprocess", true, "the core engine's JobRunner (WorkerConcurrency 1) over the in-memory queue and store", () => new EngineInProcessConfig("engine-inprocess", 1)),
        new("engine-inprocess-w2", false, "as engine-inprocess with WorkerConcurrency 2", () => new EngineInProcessConfig("engine-inprocess-w2", 2)),
        new("silo-memory", true, "one silo, in-memory queue and store, jobs submitted through IJobClient", () => new SiloMemoryConfig()),
        new("silo-sqlite", true, "one silo on the SQLite default (queue and store on one file), jobs submitted through IJobClient", () => new SiloSqliteConfig()),
    ];

    public static IReadOnlyList<string> DefaultNames { get; } = [.. Entries.Where(e => e.IsDefault).Select(e => e.Name)];

    public static IReadOnlyList<string> AllNames { get; } = [.. Entries.Select(e => e.Name)];

    public static bool Exists(string name) => Array.Exists(Entries, e => e.Name == name);

    public static IBenchmarkConfig Create(string name) => Array.Find(Entries, e => e.Name == name)?.Create()
        ?? throw new ArgumentException($"Unknown configuration '{name}'.", nameof(name));

    /// <summary>Sorts names into catalog order.</summary>
    public static IReadOnlyList<string> InCatalogOrder(IEnumerable<string> names) =>
        [.. names.Distinct().OrderBy(n => Array.FindIndex(Entries, e => e.Name == n))];

    public static string Describe()
    {
        var text = new StringBuilder();
        foreach (var entry in Entries)
        {
            text.Append("  ").Append(entry.IsDefault ? '*' : ' ').Append(' ').Append(entry.Name.PadRight(22)).AppendLine(entry.Description);
        }

        return text.ToString();
    }

    private sealed record Entry(string Name, bool IsDefault, string Description, Func<IBenchmarkConfig> Create);
}
