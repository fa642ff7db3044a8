namespace Ergate;

/// <summary>A registered signal handler. Handlers run in registration order; one that throws is logged and ignored.</summary>
/// <param name="Signal">The signal it handles.</param>
/// <param name="Handle">The handler: the job as it is at that moment (a copy), the services, and a cancellation token.</param>
public sealed record SignalHandler(ErgateSignal Signal, Func<Job, IServiceProvider, CancellationToken, ValueTask> Handle);
