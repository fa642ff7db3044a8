using System.ComponentModel.DataAnnotations;

namespace Ergate.Orleans;

/// <summary>
/// Options of Ergate's Orleans runtime on each silo, bound from <see cref="SectionName"/> and validated at start.
/// </summary>
public sealed class ErgateSiloOptions
{
    /// <summary>The configuration section: <c>Ergate:Silo</c>.</summary>
    public const string SectionName = "Ergate:Silo";

    /// <summary>Default of <see cref="PumpLoops"/>.</summary>
    public const int DefaultPumpLoops = 2;

    /// <summary>Default of <see cref="MaxInFlight"/>.</summary>
    public const int DefaultMaxInFlight = 256;

    /// <summary>Default of <see cref="MaxPayloadBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    /// <summary>Default of <see cref="MaxActiveJobGrains"/>.</summary>
    public const int DefaultMaxActiveJobGrains = 10_000;

    /// <summary>Default of <see cref="PumpCheckInterval"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultPumpCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many loops of the silo's pump receive from the queue at once.
    /// <value>Default: 2. Range 1–64.</value>
    /// </summary>
    [Range(1, 64)]
    public int PumpLoops { get; set; } = DefaultPumpLoops;

    /// <summary>
    /// How many deliveries a silo's pump has handed to job grains and not yet settled, at most. Each job still runs
    /// one step at a time; this bounds how many jobs a silo works on at once.
    /// <value>Default: 256. Range 1–100,000.</value>
    /// </summary>
    [Range(1, 100_000)]
    public int MaxInFlight { get; set; } = DefaultMaxInFlight;

    /// <summary>
    /// The largest input plus user context a submission may carry, in UTF-8 JSON bytes.
    /// <value>Default: 1 MiB. Range 1 byte–64 MiB.</value>
    /// </summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>
    /// How many job grains a silo keeps active between their jobs' steps. Below it, a job grain stays active until its
    /// job is final (its next delivery then skips an activation); above it, job grains deactivate after each step, so a
    /// silo's memory follows the work in flight rather than a long backlog. Measured here: each kept grain holds about
    /// 13 KB; deactivating after every step cost about 45% of in-memory throughput.
    /// <value>Default: 10,000. Range 0–10,000,000 (0: always deactivate after a step).</value>
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxActiveJobGrains { get; set; } = DefaultMaxActiveJobGrains;

    /// <summary>
    /// How often the silo checks that its pump is running, restarting it if its activation died.
    /// <value>Default: 5 s. Range 100 ms–5 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")]
    public TimeSpan PumpCheckInterval { get; set; } = DefaultPumpCheckInterval;
}
