namespace Ergate;

/// <summary>What a cancellation request found.</summary>
public enum CancelResult
{
    /// <summary>No job with that id is known.</summary>
    NotFound,

    /// <summary>The job had already ended; nothing changed.</summary>
    AlreadyFinal,

    /// <summary>Recorded: the job ends CANCELLED at its next delivery, and a running step's token is cancelled.</summary>
    Requested,
}
