namespace Ergate;

/// <summary>A job as a state store holds it, with the time of its last update.</summary>
/// <param name="Job">The latest state.</param>
/// <param name="UpdatedAt">When it was stored.</param>
public sealed record StoredJob(Job Job, DateTimeOffset UpdatedAt);
