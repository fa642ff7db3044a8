namespace Ergate;

/// <summary>
/// Thrown by a step to complete the job at once with <see cref="ReturnValue"/> as its last return value
/// (Python Ergate's <c>GoToEnd</c>).
/// </summary>
public sealed class GoToEnd : Exception
{
    /// <summary>Completes the job.</summary>
    /// <param name="returnValue">The job's last return value; <see langword="null"/> by default.</param>
    public GoToEnd(object? returnValue = null)
        : base("Go to the end of the workflow.")
    {
        ReturnValue = returnValue;
    }

    /// <summary>The job's last return value.</summary>
    public object? ReturnValue { get; }
}
