namespace Ergate;

/// <summary>A queue or state-store call kept failing after every retry.</summary>
public sealed class BackendUnavailableException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The call, for example "state update".</param>
    /// <param name="attempts">How many times it was tried.</param>
    /// <param name="innerException">The last failure.</param>
    public BackendUnavailableException(string operation, int attempts, Exception innerException)
        : base($"The {operation} failed {attempts} time(s); giving up for now.", innerException)
    {
        Operation = operation;
        Attempts = attempts;
    }

    /// <summary>The call that failed.</summary>
    public string Operation { get; }

    /// <summary>How many times it was tried.</summary>
    public int Attempts { get; }
}
