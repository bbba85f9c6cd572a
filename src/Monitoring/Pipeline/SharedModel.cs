using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>One model of <see cref="SharedModels"/> and the batcher in front of its network (null for engines that take no batcher).</summary>
public sealed record SharedModel(ClassifierModel Model, MicroBatcher? Batcher);
