namespace Ergate;

/// <summary>
/// A delivery whose data parsed as a job, with the job's key. A struct: one is made for every delivery and lives only
/// while it is processed.
/// </summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Job">The job it carries.</param>
/// <param name="Key">The job key.</param>
public readonly record struct AcceptedDelivery(JobDelivery Delivery, Job Job, string Key);
