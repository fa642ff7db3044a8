namespace Ergate;

/// <summary>
/// A job state store backend failed to carry out a call (the server or file could not be reached, was busy, or
/// reported an error). The backend's own exception is the <see cref="Exception.InnerException"/>.
/// </summary>
/// <remarks>
/// State-store backends throw this instead of their driver's exceptions, so the engine can decide whether to retry
/// without knowing the driver: it retries with backoff either way, and <see cref="IsTransient"/> says whether a
/// retry is likely to succeed soon. A refused write (stale, or carrying on over CANCELLING) is not an error: it returns
/// <see langword="false"/> from <see cref="IConditionalJobStateStore.TryUpdateAsync"/>. API misuse still throws the standard argument
/// exceptions.
/// </remarks>
public class JobStateStoreException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the store and the operation.</param>
    /// <param name="isTransient">Whether the same call may succeed if tried again soon (for example, the backend was busy).</param>
    /// <param name="innerException">The backend's exception, if any.</param>
    public JobStateStoreException(string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Whether the same call may succeed if tried again soon (for example, the backend was busy or locked).</summary>
    public bool IsTransient { get; }
}
