using StreamMonitor.Bench.Cases;

namespace StreamMonitor.Bench;

/// <summary>Every case, in the order a full run executes them.</summary>
public static class BenchCases
{
    public static IReadOnlyList<IBenchCase> All { get; } =
    [
        new LammpsParseCase(),
        new LammpsParseScaledCase(),
        new XtcDecodeCase(),
        new MemoryFramesCase(),
        new TailLatencyCase(),
        new SteinhardtCase(),
        new MolsfCase(),
        new MlpBatcherCase(),
        new UreaClassifyCase(),
        new GnnClassifyCase(),
        new GpuAtomicFeaturesCase(),
        new CrossRunBatchingCase(),
        new LiveLatencyCase(),
        new LiveCapacityCase(),
        new LiveThroughputCase(),
        new SiloSizingCase(),
        new SiloScaleoutCase(),
        new RunStateWriteCase(),
        new SummaryScalingCase(),
        new DashboardFanoutCase(),
        new InfluxSerializeCase(),
    ];
}
