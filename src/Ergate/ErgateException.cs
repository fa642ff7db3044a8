namespace Ergate;

/// <summary>
/// The base of the exceptions Ergate throws for reasons of its own (not for API misuse, which throws the
/// standard argument exceptions).
/// </summary>
public class ErgateException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ErgateException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
