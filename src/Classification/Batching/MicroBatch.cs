namespace StreamMonitor.Classification.Batching;

/// <summary>One evaluated batch of a <see cref="MicroBatcher"/>: how many rows, from how many requests (callers).</summary>
public readonly record struct MicroBatch(int Rows, int Requests);
