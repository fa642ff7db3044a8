namespace Ergate;

/// <summary>The result of processing one delivery.</summary>
/// <param name="Outcome">How the delivery ended.</param>
/// <param name="Job">The job's state after the delivery, when one was stored.</param>
/// <param name="ReleaseAfter">For <see cref="DeliveryOutcome.Released"/>: how long the delivery stays invisible before it comes back.</param>
public readonly record struct DeliveryResult(DeliveryOutcome Outcome, Job? Job, TimeSpan ReleaseAfter = default);
