using Ergate.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Ergate;

/// <summary>Runs the handlers of each signal; a handler that throws is logged and ignored, as in Ergate.</summary>
internal sealed class SignalDispatcher
{
    private readonly SignalHandler[][] _handlers;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public SignalDispatcher(IEnumerable<SignalHandler> handlers, IServiceProvider services, ILogger<SignalDispatcher> logger)
    {
        var all = handlers.ToArray();
        _handlers = new SignalHandler[3][];
        foreach (var signal in Enum.GetValues<ErgateSignal>())
        {
            _handlers[(int)signal] = Array.FindAll(all, h => h.Signal == signal);
        }

        _services = services;
        _logger = logger;
    }

    // Whether a signal reaches anyone: raising one that has no handler does nothing anyone can see.
    public bool Handles(ErgateSignal signal) => _handlers[(int)signal].Length != 0;

    public ValueTask RaiseAsync(ErgateSignal signal, Job job, string jobKey, CancellationToken cancellationToken)
    {
        var handlers = _handlers[(int)signal];
        return handlers.Length == 0 ? ValueTask.CompletedTask : RaiseSlowAsync(handlers, signal, job, jobKey, cancellationToken);
    }

    private async ValueTask RaiseSlowAsync(SignalHandler[] handlers, ErgateSignal signal, Job job, string jobKey, CancellationToken cancellationToken)
    {
        foreach (var handler in handlers)
        {
            try
            {
                await handler.Handle(job.Clone(), _services, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.SignalHandlerFailed(_logger, exception, signal, jobKey);
            }
        }
    }
}
