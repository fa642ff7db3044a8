using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Ergate;

/// <summary>
/// Options of the engine, bound from the configuration section <see cref="SectionName"/> and validated at start.
/// </summary>
public sealed class ErgateOptions
{
    /// <summary>The configuration section: <c>Ergate</c>.</summary>
    public const string SectionName = "Ergate";

    /// <summary>Default of <see cref="BackendRetryAttempts"/>.</summary>
    public const int DefaultBackendRetryAttempts = 5;

    /// <summary>Default of <see cref="BackendRetryBaseDelay"/>: 100 ms.</summary>
    public static readonly TimeSpan DefaultBackendRetryBaseDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Default of <see cref="BackendRetryMaxDelay"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultBackendRetryMaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>Default of <see cref="RequeueAfter"/> for a queue without leases: 5 minutes.</summary>
    public static readonly TimeSpan DefaultRequeueAfter = TimeSpan.FromMinutes(5);

    /// <summary>Default of <see cref="WorkerConcurrency"/>.</summary>
    public const int DefaultWorkerConcurrency = 1;

    /// <summary>
    /// How many times a failing queue or state-store call is tried in all before the delivery is released.
    /// <value>Default: 5. Range 1–100.</value>
    /// </summary>
    [Range(1, 100)]
    public int BackendRetryAttempts { get; set; } = DefaultBackendRetryAttempts;

    /// <summary>
    /// The delay before the first retry; it doubles with each attempt, up to <see cref="BackendRetryMaxDelay"/>.
    /// <value>Default: 100 ms. Range 0–1 minute.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BackendRetryBaseDelay { get; set; } = DefaultBackendRetryBaseDelay;

    /// <summary>
    /// The longest delay between retries, and the delay of a released delivery.
    /// <value>Default: 5 s. Range 0–10 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BackendRetryMaxDelay { get; set; } = DefaultBackendRetryMaxDelay;

    /// <summary>
    /// How long a stored, non-final job may show no progress before a stale delivery of it puts it on the queue
    /// again (its own put may have been lost). <see langword="null"/> uses the queue's lease duration, or 5 minutes
    /// for a queue without leases.
    /// <value>Default: null. Range 1 s–1 day.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan? RequeueAfter { get; set; }

    /// <summary>
    /// How many deliveries the in-process worker processes at once (each job still runs one step at a time).
    /// <value>Default: 1 (Ergate's single worker loop, strict FIFO). Range 1–1024.</value>
    /// </summary>
    [Range(1, 1024)]
    public int WorkerConcurrency { get; set; } = DefaultWorkerConcurrency;

    /// <summary>
    /// The JSON options used to read step inputs and user contexts and to write return values.
    /// <value>Default: <see cref="ErgateJson.DefaultOptions"/> (snake_case names). Set in code, not in configuration.</value>
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = ErgateJson.DefaultOptions;
}
