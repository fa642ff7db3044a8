namespace Ergate.Orleans;

/// <summary>Why a submission was rejected. Nothing is queued for a rejected submission.</summary>
public enum SubmitRejection
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>No workflow of that name is registered in the cluster.</summary>
    UnknownWorkflow,

    /// <summary>The input and user context together exceed the configured payload limit.</summary>
    PayloadTooLarge,

    /// <summary>A job with that id already exists.</summary>
    AlreadyExists,

    /// <summary>The request itself is invalid (for example an unusable requested start time).</summary>
    InvalidRequest,
}
