namespace Ergate.Binding;

/// <summary>The arguments of one step run, read by a step's compiled binder.</summary>
internal readonly struct StepCall
{
    public StepCall(JobValue input, JobValue userContext, IServiceProvider services, CancellationToken cancellationToken)
    {
        Input = input;
        UserContext = userContext;
        Services = services;
        CancellationToken = cancellationToken;
    }

    public JobValue Input { get; }

    public JobValue UserContext { get; }

    public IServiceProvider Services { get; }

    public CancellationToken CancellationToken { get; }
}
