using Ergate.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Ergate;

/// <summary>
/// Renews the leases of the deliveries being processed, with one timer for all of them rather than a timer per
/// delivery: a delivery held longer than a third of the lease is renewed every third of the lease until it is let go.
/// </summary>
/// <remarks>
/// Time is counted in the timer's ticks, a third of the lease apart, rather than read from the clock for every delivery
/// held: a delivery held since before the last tick but one has been held at least a third of the lease, and one held
/// since later has been held less, unless the timer ran late (it is then renewed a little early, which is harmless).
/// </remarks>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly DeliveryQueue _queue;
    private readonly ILogger _logger;

    // A plain dictionary under a lock rather than a concurrent one: it reuses its entries, where a concurrent
    // dictionary allocates a node for every delivery held, and the lock is held only for an add or a remove.
    private readonly Dictionary<JobDelivery, long> _held = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();
    private readonly ITimer _timer;

    // How many times the timer has fired; changed under the lock.
    private long _ticks;

    public LeaseKeeper(DeliveryQueue queue, TimeSpan leaseDuration, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        _logger = logger;
        var period = leaseDuration / 3;
        _timer = time.CreateTimer(static state => ((LeaseKeeper)state!).RenewDue(), this, period, period);
    }

    public void Hold(JobDelivery delivery)
    {
        lock (_lock)
        {
            _held[delivery] = _ticks;
        }
    }

    public void Release(JobDelivery delivery)
    {
        lock (_lock)
        {
            _held.Remove(delivery);
        }
    }

    private bool IsHeld(JobDelivery delivery)
    {
        lock (_lock)
        {
            return _held.ContainsKey(delivery);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void RenewDue()
    {
        List<JobDelivery>? due = null;
        lock (_lock)
        {
            var now = ++_ticks;
            foreach (var (delivery, since) in _held)
            {
                if (now - since >= 2)
                {
                    (due ??= []).Add(delivery);
                }
            }
        }

        foreach (var delivery in due ?? [])
        {
            _ = RenewAsync(delivery);
        }
    }

    private async Task RenewAsync(JobDelivery delivery)
    {
        try
        {
            if (!await _queue.RenewLeaseAsync(delivery, CancellationToken.None).ConfigureAwait(false) && IsHeld(delivery))
            {
                Log.LeaseRenewalFailed(_logger, null, delivery.DeliveryId);
            }
        }
        catch (Exception exception)
        {
            Log.LeaseRenewalFailed(_logger, exception, delivery.DeliveryId);
        }
    }
}
