namespace Ergate.Testing;

/// <summary>A dead letter as a backend reports it to the contract tests.</summary>
/// <param name="Payload">The message's raw JSON.</param>
/// <param name="Reason">Why it was moved aside.</param>
public sealed record DeadLetterEntry(ReadOnlyMemory<byte> Payload, string Reason);
