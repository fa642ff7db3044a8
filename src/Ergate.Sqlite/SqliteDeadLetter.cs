namespace Ergate.Sqlite;

/// <summary>A message the SQLite queue moved aside because it could not be processed.</summary>
/// <param name="MessageId">The message's id, as its deliveries carried it.</param>
/// <param name="Payload">The message's raw JSON, byte for byte.</param>
/// <param name="Reason">Why it could not be processed.</param>
/// <param name="DeliveryCount">How many times it had been delivered.</param>
/// <param name="DeadLetteredAt">When it was moved aside.</param>
public sealed record SqliteDeadLetter(string MessageId, ReadOnlyMemory<byte> Payload, string Reason, int DeliveryCount, DateTimeOffset DeadLetteredAt);
