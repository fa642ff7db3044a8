using Microsoft.Extensions.Logging;

namespace Ergate.Orleans.Diagnostics;

/// <summary>The Orleans layer's log messages (event ids 2000–2999).</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Pump started: {Loops} loops, at most {MaxInFlight} deliveries in flight", EventName = "PumpStarted")]
    public static partial void PumpStarted(ILogger logger, int loops, int maxInFlight);

    [LoggerMessage(2002, LogLevel.Information, "Pump stopped; every delivery in flight settled", EventName = "PumpStopped")]
    public static partial void PumpStopped(ILogger logger);

    [LoggerMessage(2003, LogLevel.Warning, "Pump stop timed out with {InFlight} deliveries in flight; their leases will expire and they will come back", EventName = "PumpStopTimedOut")]
    public static partial void PumpStopTimedOut(ILogger logger, int inFlight);

    [LoggerMessage(2004, LogLevel.Warning, "Pump: receiving from the queue failed; backing off {Delay}", EventName = "ReceiveFailed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(2005, LogLevel.Error, "Pump: delivery {DeliveryId} failed outside the job's processing", EventName = "DispatchFailed")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(2006, LogLevel.Warning, "Pump could not be started; retrying", EventName = "PumpStartFailed")]
    public static partial void PumpStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(2007, LogLevel.Error, "Pump could not be stopped cleanly", EventName = "PumpStopFailed")]
    public static partial void PumpStopFailed(ILogger logger, Exception exception);
}
