namespace Ergate;

/// <summary>
/// One delivery of a queued message: its raw JSON and the lease that hides it from other consumers until it is
/// acknowledged or released, or the lease expires.
/// </summary>
public sealed class JobDelivery
{
    private string? _deliveryId;
    private string? _messageId;
    private readonly long _messageNumber;

    /// <summary>Creates a delivery.</summary>
    /// <param name="deliveryId">Identifies this lease: unique per delivery, so a late acknowledgement of an expired lease cannot remove a redelivered message.</param>
    /// <param name="payload">The message's UTF-8 JSON.</param>
    /// <param name="messageId">The message's id, stable across redeliveries and puts, if the backend has one; it keys jobs whose id is null.</param>
    /// <param name="deliveryCount">How many times this message has been delivered, this time included.</param>
    public JobDelivery(string deliveryId, ReadOnlyMemory<byte> payload, string? messageId = null, int deliveryCount = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        _deliveryId = deliveryId;
        Payload = payload;
        _messageId = messageId;
        DeliveryCount = deliveryCount;
    }

    // A delivery whose id is a number, written out only when someone asks for it (a log line, say): the in-memory
    // queue keys its leases by the number, so a delivery that is processed and acknowledged makes no string for its id.
    // The message's id likewise: a number, written out only when asked (for the key of a job without an id).
    internal JobDelivery(long number, ReadOnlyMemory<byte> payload, long messageNumber, int deliveryCount)
    {
        Number = number;
        Payload = payload;
        _messageNumber = messageNumber;
        DeliveryCount = deliveryCount;
    }

    /// <summary>Identifies this lease.</summary>
    public string DeliveryId => _deliveryId ??= Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // The id as a number, for a delivery made with one; 0 otherwise.
    internal long Number { get; }

    /// <summary>
    /// The message's UTF-8 JSON. The engine reads the job from it without copying and may keep parts of it after the
    /// delivery is settled, so a queue must hand out memory that it never reuses or changes.
    /// </summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The message's stable id, if the backend has one.</summary>
    public string? MessageId => _messageId ??= _messageNumber == 0 ? null : _messageNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How many times this message has been delivered, this time included.</summary>
    public int DeliveryCount { get; }

    /// <summary>Backend-specific state of the delivery (for example a message handle); the engine never reads it.</summary>
    public object? BackendState { get; init; }
}
