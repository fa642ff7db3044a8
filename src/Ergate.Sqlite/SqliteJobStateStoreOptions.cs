using System.ComponentModel.DataAnnotations;

namespace Ergate.Sqlite;

/// <summary>
/// Options of the SQLite job state store, bound from the configuration section <see cref="SectionName"/> and
/// validated when the host starts (or when a <see cref="SqliteJobStateStore"/> is created directly).
/// </summary>
public sealed class SqliteJobStateStoreOptions
{
    /// <summary>The configuration section: <c>Ergate:StateStore</c>.</summary>
    public const string SectionName = "Ergate:StateStore";

    /// <summary>Default of <see cref="DatabasePath"/>: <c>ergate.db</c> (the queue's default file too).</summary>
    public const string DefaultDatabasePath = SqliteJobQueueOptions.DefaultDatabasePath;

    /// <summary>Default of <see cref="BusyTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = SqliteJobQueueOptions.DefaultBusyTimeout;

    /// <summary>
    /// The database file, absolute or relative to the working directory. It and its folder are created if missing.
    /// The queue may use the same file. <c>:memory:</c> is not supported (the store uses several connections).
    /// <value>Default: <c>ergate.db</c>. Required.</value>
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "is required")]
    public string DatabasePath { get; set; } = DefaultDatabasePath;

    /// <summary>
    /// How long a call waits for another connection (another process, say) to release the file's lock before it
    /// fails with a transient <see cref="JobStateStoreException"/>.
    /// <value>Default: 5 s. Range 1 ms–10 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "must be between {1} and {2}", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;
}
