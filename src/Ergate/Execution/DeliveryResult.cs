namespace Ergate;

/// <summary>The result of processing one delivery.</summary>
/// <param name="Outcome">How the delivery ended.</param>
/// <param name="Job">The job's state after the delivery, when one was stored.</param>
public readonly record struct DeliveryResult(DeliveryOutcome Outcome, Job? Job);
