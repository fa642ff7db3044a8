namespace Ergate.Orleans.Host.Samples;

/// <summary>The sample <see cref="IGreeter"/>.</summary>
internal sealed class Greeter : IGreeter
{
    public string Greet(string name, string language) => language switch
    {
        "es" => $"¡Hola, {name}!",
        "fr" => $"Bonjour, {name} !",
        _ => $"Hello, {name}!",
    };
}
