using System.ComponentModel.DataAnnotations;

namespace Ergate.Sqlite;

/// <summary>
/// Options of the SQLite job queue, bound from the configuration section <see cref="SectionName"/> and validated when
/// the host starts (or when a <see cref="SqliteJobQueue"/> is created directly).
/// </summary>
public sealed class SqliteJobQueueOptions
{
    /// <summary>The configuration section: <c>Ergate:Queue</c>.</summary>
    public const string SectionName = "Ergate:Queue";

    /// <summary>Default of <see cref="DatabasePath"/>: <c>ergate.db</c>.</summary>
    public const string DefaultDatabasePath = "ergate.db";

    /// <summary>Default of <see cref="LeaseDuration"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>Default of <see cref="PollInterval"/>: 50 ms.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Default of <see cref="ReceiveBatchSize"/>: 64.</summary>
    public const int DefaultReceiveBatchSize = 64;

    /// <summary>Default of <see cref="BusyTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The database file, absolute or relative to the working directory. It and its folder are created if missing.
    /// The state store may use the same file. <c>:memory:</c> is not supported (the queue uses several connections).
    /// <value>Default: <c>ergate.db</c>. Required.</value>
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "is required")]
    public string DatabasePath { get; set; } = DefaultDatabasePath;

    /// <summary>
    /// How long a received job stays invisible to other consumers unless its lease is renewed, acknowledged or released.
    /// When it runs out, the job is delivered again.
    /// <value>Default: 30 s. Range 1 s–1 day.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "must be between {1} and {2}", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration;

    /// <summary>
    /// How often an idle receiver looks for new jobs, due jobs (not-before puts, delayed releases) and jobs whose lease
    /// ran out. A put in the same process wakes its receivers at once; puts by other processes are seen at the next poll.
    /// <value>Default: 50 ms. Range 1 ms–1 minute, and shorter than <see cref="LeaseDuration"/>.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "must be between {1} and {2}", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>
    /// How long a call waits for another connection (another process, say) to release the file's lock before it
    /// fails with a transient <see cref="JobQueueException"/>.
    /// <value>Default: 5 s. Range 1 ms–10 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "must be between {1} and {2}", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>
    /// The most messages one receive leases at once (prefetch). The extra ones wait in the queue instance, each under
    /// its own lease, and go to the next receives; one not handed out while five sixths of its lease remain is given
    /// back (visible again, not counted as delivered), as are all of them when the queue is disposed. The batch adapts
    /// to demand: it grows while receives come fast and shrinks back to one for a slow consumer, so prefetched messages
    /// do not sit hidden from other consumers. 1 turns prefetch off.
    /// <value>Default: 64. Range 1–1000.</value>
    /// </summary>
    [Range(1, 1000, ErrorMessage = "must be between {1} and {2}")]
    public int ReceiveBatchSize { get; set; } = DefaultReceiveBatchSize;
}
