namespace Ergate;

/// <summary>
/// Thrown when data read from a queue or a state store is not a valid job (Python Ergate would reject it
/// while building its <c>Job</c> model). The engine dead-letters such data with <see cref="Exception.Message"/>
/// as the reason.
/// </summary>
public sealed class InvalidJobDataException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the data, naming the field.</param>
    /// <param name="innerException">The parser's exception, if any.</param>
    public InvalidJobDataException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
