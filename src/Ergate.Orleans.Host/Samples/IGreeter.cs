namespace Ergate.Orleans.Host.Samples;

/// <summary>A service the "greeting" sample step asks for, resolved from the step's own DI scope.</summary>
public interface IGreeter
{
    /// <summary>Greets someone in their language.</summary>
    /// <param name="name">Who.</param>
    /// <param name="language">An ISO language code.</param>
    /// <returns>The greeting.</returns>
    string Greet(string name, string language);
}
