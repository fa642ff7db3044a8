using System.Diagnostics.Tracing;
using System.Globalization;

namespace Ergate.Benchmarks.Measurement;

/// <summary>
/// Which types a timed run allocates: the runtime's allocation samples (one event about every 100 KB allocated, naming
/// the type that crossed the mark) summed by type while <see cref="IsSampling"/>. A sampled picture, not a count: good
/// for the large shares, rough below a percent. Enabled by <c>--alloc-types</c> on a child; it costs little, but a
/// run measured with it is not one to quote.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Whether samples are being summed (the timed span only).</summary>
    public bool IsSampling { get; set; }

    /// <summary>Forgets what was summed so far.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _bytesByType.Clear();
        }
    }

    /// <summary>The largest shares, per step of <paramref name="steps"/>, one line each.</summary>
    /// <param name="steps">The steps the sampled span ran.</param>
    /// <param name="top">How many types to list.</param>
    /// <returns>The lines.</returns>
    public IEnumerable<string> Report(long steps, int top)
    {
        KeyValuePair<string, long>[] sums;
        lock (_lock)
        {
            sums = [.. _bytesByType.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)];
        }

        var total = sums.Sum(p => p.Value);
        yield return string.Create(CultureInfo.InvariantCulture, $"allocation samples: {total / (double)steps:N0} B/step in all (sampled)");
        foreach (var (type, bytes) in sums.Take(top))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"  {bytes / (double)steps,7:N0} B/step {100.0 * bytes / total,5:N1} %  {type}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!IsSampling
            || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true
            || eventData.Payload is not { } payload
            || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var typeAt = names.IndexOf("TypeName");
        var amountAt = names.IndexOf("AllocationAmount64");
        if (typeAt < 0 || amountAt < 0)
        {
            return;
        }

        var type = payload[typeAt] as string ?? "?";
        var amount = Convert.ToInt64(payload[amountAt], CultureInfo.InvariantCulture);
        lock (_lock)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
