using Microsoft.Extensions.Logging;

namespace Ergate.Diagnostics;

/// <summary>The core engine's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(ErgateEventId.SignalHandlerFailed, LogLevel.Warning, "Job {JobKey}: a {Signal} handler threw; ignored", EventName = "SignalHandlerFailed")]
    public static partial void SignalHandlerFailed(ILogger logger, Exception exception, ErgateSignal signal, string jobKey);

    [LoggerMessage(ErgateEventId.JobFailed, LogLevel.Warning, "Job {JobKey} of workflow {WorkflowName} failed at step {StepIndex}: {Error}", EventName = "JobFailed")]
    public static partial void JobFailed(ILogger logger, Exception? exception, string jobKey, string workflowName, int stepIndex, string error);

    [LoggerMessage(ErgateEventId.JobAborted, LogLevel.Information, "Job {JobKey} of workflow {WorkflowName} aborted at step {StepIndex}: {Reason}", EventName = "JobAborted")]
    public static partial void JobAborted(ILogger logger, string jobKey, string workflowName, int stepIndex, string reason);

    [LoggerMessage(ErgateEventId.JobCompleted, LogLevel.Debug, "Job {JobKey} of workflow {WorkflowName} completed", EventName = "JobCompleted")]
    public static partial void JobCompleted(ILogger logger, string jobKey, string workflowName);

    [LoggerMessage(ErgateEventId.JobCancelled, LogLevel.Information, "Job {JobKey} of workflow {WorkflowName} cancelled", EventName = "JobCancelled")]
    public static partial void JobCancelled(ILogger logger, string jobKey, string workflowName);

    [LoggerMessage(ErgateEventId.StaleDeliveryDropped, LogLevel.Information, "Job {JobKey}: stale delivery dropped (delivered steps completed {Delivered}, stored {Stored} with status {StoredStatus})", EventName = "StaleDeliveryDropped")]
    public static partial void StaleDeliveryDropped(ILogger logger, string jobKey, int delivered, int stored, JobStatus storedStatus);

    [LoggerMessage(ErgateEventId.InvalidJobDeadLettered, LogLevel.Warning, "Delivery {DeliveryId}: not a valid job, dead-lettered: {Reason}", EventName = "InvalidJobDeadLettered")]
    public static partial void InvalidJobDeadLettered(ILogger logger, string deliveryId, string reason);

    [LoggerMessage(ErgateEventId.InvalidJobDropped, LogLevel.Error, "Delivery {DeliveryId}: not a valid job, and the queue has no dead letter; acknowledged and dropped: {Reason}", EventName = "InvalidJobDropped")]
    public static partial void InvalidJobDropped(ILogger logger, string deliveryId, string reason);

    [LoggerMessage(ErgateEventId.StoredJobRequeued, LogLevel.Warning, "Job {JobKey}: stored state (steps completed {Stored}) showed no progress for {Idle}; put on the queue again", EventName = "StoredJobRequeued")]
    public static partial void StoredJobRequeued(ILogger logger, string jobKey, int stored, TimeSpan idle);

    [LoggerMessage(ErgateEventId.StaleDeliveryHeld, LogLevel.Information, "Job {JobKey}: stale delivery (steps completed {Delivered}) released for {Wait}: the stored state (steps completed {Stored}) is not yet idle long enough to tell whether its own put was lost", EventName = "StaleDeliveryHeld")]
    public static partial void StaleDeliveryHeld(ILogger logger, string jobKey, int delivered, int stored, TimeSpan wait);

    [LoggerMessage(ErgateEventId.RefusedStartReleased, LogLevel.Information, "Job {JobKey}: the store refused to start steps completed {Delivered}, then showed steps completed {Stored} with status {StoredStatus}; delivery released for a later retry", EventName = "RefusedStartReleased")]
    public static partial void RefusedStartReleased(ILogger logger, string jobKey, int delivered, int stored, JobStatus? storedStatus);

    [LoggerMessage(ErgateEventId.BackendCallRetrying, LogLevel.Warning, "Job {JobKey}: {Operation} failed (attempt {Attempt}); retrying in {Delay}", EventName = "BackendCallRetrying")]
    public static partial void BackendCallRetrying(ILogger logger, Exception exception, string jobKey, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(ErgateEventId.DeliveryReleased, LogLevel.Error, "Job {JobKey}: {Operation} kept failing; delivery released for a later retry", EventName = "DeliveryReleased")]
    public static partial void DeliveryReleased(ILogger logger, Exception exception, string jobKey, string operation);

    [LoggerMessage(ErgateEventId.SettlementFailed, LogLevel.Warning, "Job {JobKey}: {Operation} of the delivery failed; its lease will expire and it will come back", EventName = "SettlementFailed")]
    public static partial void SettlementFailed(ILogger logger, Exception exception, string jobKey, string operation);

    [LoggerMessage(ErgateEventId.LeaseRenewalFailed, LogLevel.Warning, "Job {JobKey}: lease renewal failed", EventName = "LeaseRenewalFailed")]
    public static partial void LeaseRenewalFailed(ILogger logger, Exception? exception, string jobKey);

    [LoggerMessage(ErgateEventId.WorkerLoopFailed, LogLevel.Error, "Worker loop: {Operation} failed; backing off {Delay}", EventName = "WorkerLoopFailed")]
    public static partial void WorkerLoopFailed(ILogger logger, Exception exception, string operation, TimeSpan delay);
}
