namespace Ergate;

/// <summary>How a delivery ended.</summary>
public enum DeliveryOutcome
{
    /// <summary>One step ran (or the job ended cancelled); its state was stored, put back unless final, and the delivery acknowledged.</summary>
    Processed,

    /// <summary>The delivery was older than the stored state (or a duplicate); acknowledged and dropped without a signal or an update.</summary>
    Stale,

    /// <summary>A queue or store call kept failing; the delivery was released to come back later.</summary>
    Released,

    /// <summary>The data was not a valid job; it went to the dead letters.</summary>
    DeadLettered,
}
