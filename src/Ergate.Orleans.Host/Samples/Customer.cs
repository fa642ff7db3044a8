namespace Ergate.Orleans.Host.Samples;

/// <summary>The user context of the "greeting" sample.</summary>
/// <param name="Name">The customer's name.</param>
/// <param name="Language">An ISO language code.</param>
public sealed record Customer(string Name, string Language);
