using System.Text.Json;

namespace Ergate.Binding;

/// <summary>The arguments of one step run, read by a step's compiled binder.</summary>
internal sealed class StepCall
{
    public StepCall(JsonElement input, JsonElement userContext, IServiceProvider services, CancellationToken cancellationToken)
    {
        Input = input;
        UserContext = userContext;
        Services = services;
        CancellationToken = cancellationToken;
    }

    public JsonElement Input { get; }

    public JsonElement UserContext { get; }

    public IServiceProvider Services { get; }

    public CancellationToken CancellationToken { get; }
}
