namespace Ergate;

/// <summary>Records which component fills a single slot (queue, state store, runtime).</summary>
internal sealed record ErgateSlot(string Slot, string Component);
