using Ergate.Sqlite;
using Ergate.Sqlite.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ergate;

/// <summary>Configures Ergate to use the SQLite queue and state store (the embedded, durable default).</summary>
public static class SqliteErgateBuilderExtensions
{
    /// <summary>Uses a <see cref="SqliteJobQueue"/> on the file <paramref name="databasePath"/> as the job queue.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file; the state store may use the same one.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">A queue is already configured.</exception>
    public static IErgateBuilder UseSqliteQueue(this IErgateBuilder builder, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseSqliteQueue(options => options.DatabasePath = databasePath);
    }

    /// <summary>Uses a <see cref="SqliteJobQueue"/> with options bound from <paramref name="configuration"/> (for example the section <c>Ergate:Queue</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The configuration section holding <see cref="SqliteJobQueueOptions"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A queue is already configured.</exception>
    public static IErgateBuilder UseSqliteQueue(this IErgateBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.UseSqliteQueue();
        builder.Services.AddOptions<SqliteJobQueueOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>
    /// Uses a <see cref="SqliteJobQueue"/> as the job queue. Registers it as a singleton (as itself and as
    /// <see cref="IJobQueue"/>) using the <see cref="TimeProvider"/> from the services, and registers
    /// <see cref="SqliteJobQueueOptions"/>, validated when the host starts (or when the queue is first resolved). The
    /// options are not bound to configuration here; the host binds <see cref="SqliteJobQueueOptions.SectionName"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options in code; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A queue is already configured.</exception>
    /// <remarks>A queue and state store on the same file in one service provider share one writer and its connections.</remarks>
    public static IErgateBuilder UseSqliteQueue(this IErgateBuilder builder, Action<SqliteJobQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClaimSlot("queue", "SQLite queue");
        var options = builder.Services.AddOptions<SqliteJobQueueOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteJobQueueOptions>, SqliteJobQueueOptionsValidator>());
        AddDatabaseProvider(builder.Services);
        builder.Services.AddSingleton(static sp =>
        {
            var settings = sp.GetRequiredService<IOptions<SqliteJobQueueOptions>>().Value;
            var database = sp.GetRequiredService<SqliteDatabaseProvider>().Get(settings.DatabasePath, settings.BusyTimeout);
            return new SqliteJobQueue(settings, database, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>());
        });
        builder.Services.AddSingleton<IJobQueue>(static sp => sp.GetRequiredService<SqliteJobQueue>());
        return builder;
    }

    /// <summary>Uses a <see cref="SqliteJobStateStore"/> on the file <paramref name="databasePath"/> as the state store.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file; the queue may use the same one.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">A state store is already configured.</exception>
    public static IErgateBuilder UseSqliteStateStore(this IErgateBuilder builder, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseSqliteStateStore(options => options.DatabasePath = databasePath);
    }

    /// <summary>Uses a <see cref="SqliteJobStateStore"/> with options bound from <paramref name="configuration"/> (for example the section <c>Ergate:StateStore</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The configuration section holding <see cref="SqliteJobStateStoreOptions"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A state store is already configured.</exception>
    public static IErgateBuilder UseSqliteStateStore(this IErgateBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.UseSqliteStateStore();
        builder.Services.AddOptions<SqliteJobStateStoreOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>
    /// Uses a <see cref="SqliteJobStateStore"/> as the state store. Registers it as a singleton (as itself and as
    /// <see cref="IJobStateStore"/>) using the <see cref="TimeProvider"/> from the services, and registers
    /// <see cref="SqliteJobStateStoreOptions"/>, validated when the host starts (or when the store is first resolved).
    /// The options are not bound to configuration here; the host binds <see cref="SqliteJobStateStoreOptions.SectionName"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options in code; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A state store is already configured.</exception>
    /// <remarks>A queue and state store on the same file in one service provider share one writer and its connections.</remarks>
    public static IErgateBuilder UseSqliteStateStore(this IErgateBuilder builder, Action<SqliteJobStateStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClaimSlot("state store", "SQLite state store");
        var options = builder.Services.AddOptions<SqliteJobStateStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteJobStateStoreOptions>, SqliteJobStateStoreOptionsValidator>());
        AddDatabaseProvider(builder.Services);
        builder.Services.AddSingleton(static sp =>
        {
            var settings = sp.GetRequiredService<IOptions<SqliteJobStateStoreOptions>>().Value;
            var database = sp.GetRequiredService<SqliteDatabaseProvider>().Get(settings.DatabasePath, settings.BusyTimeout);
            return new SqliteJobStateStore(settings, database, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>());
        });
        builder.Services.AddSingleton<IJobStateStore>(static sp => sp.GetRequiredService<SqliteJobStateStore>());
        return builder;
    }

    private static void AddDatabaseProvider(IServiceCollection services) =>
        services.TryAddSingleton(static sp => new SqliteDatabaseProvider(sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
}
