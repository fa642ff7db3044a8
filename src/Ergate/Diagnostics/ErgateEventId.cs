namespace Ergate;

/// <summary>The event ids of the core engine's log messages (range 1000–1999).</summary>
public static class ErgateEventId
{
    /// <summary>A signal handler threw; it was ignored.</summary>
    public const int SignalHandlerFailed = 1001;

    /// <summary>A job ended FAILED.</summary>
    public const int JobFailed = 1002;

    /// <summary>A job ended ABORTED.</summary>
    public const int JobAborted = 1003;

    /// <summary>A job ended COMPLETED.</summary>
    public const int JobCompleted = 1004;

    /// <summary>A job ended CANCELLED.</summary>
    public const int JobCancelled = 1005;

    /// <summary>A step ran.</summary>
    public const int StepRan = 1006;

    /// <summary>A stale or duplicate delivery was acknowledged and dropped.</summary>
    public const int StaleDeliveryDropped = 1010;

    /// <summary>Data that is not a valid job was dead-lettered.</summary>
    public const int InvalidJobDeadLettered = 1011;

    /// <summary>A stored job with no copy on its way was put on the queue again.</summary>
    public const int StoredJobRequeued = 1012;

    /// <summary>Data that is not a valid job could not be dead-lettered (the queue has no dead letter).</summary>
    public const int InvalidJobDropped = 1013;

    /// <summary>A stale delivery was released until its job's newer stored state would count as idle (its put may have been lost).</summary>
    public const int StaleDeliveryHeld = 1014;

    /// <summary>
    /// The store refused a step's start, but the state read right after was neither newer nor a cancellation request
    /// (it changed in between); the delivery was released to be tried again.
    /// </summary>
    public const int RefusedStartReleased = 1015;

    /// <summary>A queue or state-store call failed and will be retried.</summary>
    public const int BackendCallRetrying = 1020;

    /// <summary>A queue or state-store call kept failing; the delivery was released.</summary>
    public const int DeliveryReleased = 1021;

    /// <summary>A lease could not be renewed.</summary>
    public const int LeaseRenewalFailed = 1022;

    /// <summary>Acknowledging or releasing a delivery failed; its lease will expire.</summary>
    public const int SettlementFailed = 1023;

    /// <summary>The worker loop caught a failure and goes on.</summary>
    public const int WorkerLoopFailed = 1030;

    /// <summary>The worker stopped; deliveries taken but not started were released.</summary>
    public const int WorkerStopped = 1031;
}
