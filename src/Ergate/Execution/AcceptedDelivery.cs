namespace Ergate;

/// <summary>A delivery whose data parsed as a job, with the job's key.</summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Job">The job it carries.</param>
/// <param name="Key">The job key.</param>
public sealed record AcceptedDelivery(JobDelivery Delivery, Job Job, string Key);
