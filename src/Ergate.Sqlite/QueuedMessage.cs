namespace Ergate.Sqlite;

/// <summary>A message to put, serialized and timed before the writer runs it (UTC ticks).</summary>
internal sealed record QueuedMessage(string MessageId, byte[] Payload, long VisibleAt, long EnqueuedAt);
