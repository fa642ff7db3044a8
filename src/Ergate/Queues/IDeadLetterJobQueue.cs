namespace Ergate;

/// <summary>A queue capability: moving a delivered message that cannot be processed aside, with the reason.</summary>
public interface IDeadLetterJobQueue : ILeasedJobQueue
{
    /// <summary>Moves the delivered message to the dead letters (it is no longer delivered).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="reason">Why it cannot be processed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is moved.</returns>
    Task DeadLetterAsync(JobDelivery delivery, string reason, CancellationToken cancellationToken);
}
