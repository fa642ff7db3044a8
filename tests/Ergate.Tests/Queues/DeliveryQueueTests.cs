using Ergate.Tests.TestSupport;

namespace Ergate.Tests.Queues;

/// <summary>The delivery view over a minimal queue, which keeps released jobs in hand.</summary>
public sealed class DeliveryQueueTests
{
    [Fact]
    public async Task Receive_WithACancelledToken_TakesNothing_NotEvenADueJobInHand()
    {
        var queue = new DeliveryQueue(new MinimalJobQueue(), TimeProvider.System);
        await queue.PutAsync(new Job("w") { Id = JsonValues.From("a") }, null, CancellationToken.None);
        var first = await queue.ReceiveAsync(CancellationToken.None);
        await queue.ReleaseAsync(first, TimeSpan.Zero, CancellationToken.None);

        // A stopping pump receives with its cancelled token: the job in hand must stay there.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ReceiveAsync(new CancellationToken(canceled: true)));

        var again = await queue.ReceiveAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Same(first, again);
    }
}
