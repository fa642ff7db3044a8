using System.Collections.Concurrent;
using Ergate.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Ergate;

/// <summary>
/// Renews the leases of the deliveries being processed, with one timer for all of them rather than a timer per
/// delivery: a delivery held longer than a third of the lease is renewed every third of the lease until it is let go.
/// </summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly DeliveryQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _period;
    private readonly ConcurrentDictionary<JobDelivery, long> _held = new(ReferenceEqualityComparer.Instance);
    private readonly ITimer _timer;

    public LeaseKeeper(DeliveryQueue queue, TimeSpan leaseDuration, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        _time = time;
        _logger = logger;
        _period = leaseDuration / 3;
        _timer = time.CreateTimer(static state => ((LeaseKeeper)state!).RenewDue(), this, _period, _period);
    }

    public void Hold(JobDelivery delivery) => _held[delivery] = _time.GetTimestamp();

    public void Release(JobDelivery delivery) => _held.TryRemove(delivery, out _);

    public void Dispose() => _timer.Dispose();

    private void RenewDue()
    {
        foreach (var (delivery, since) in _held)
        {
            if (_time.GetElapsedTime(since) >= _period)
            {
                _ = RenewAsync(delivery);
            }
        }
    }

    private async Task RenewAsync(JobDelivery delivery)
    {
        try
        {
            if (!await _queue.RenewLeaseAsync(delivery, CancellationToken.None).ConfigureAwait(false) && _held.ContainsKey(delivery))
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
