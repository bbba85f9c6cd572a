using System.Diagnostics;
using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Models;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// The urea symmetry-function network (24 → 25 → 25 → 7, <see cref="MlpNetwork"/> on the CPU, single precision as
/// classification runs it) evaluated bare on batches of 4096 rows, against the same rows sent through a
/// <see cref="MicroBatcher"/> by 12 concurrent callers in requests of 512 rows (as many small runs would). Also the
/// bare rate in double precision, the bare rate of the same network in TorchSharp (the peer of the fused kernel the
/// CPU runs it in) and the added latency of a lone small request at low load.
/// </summary>
public sealed class MlpBatcherCase : IBenchCase
{
    private const int BatchRows = 4096;
    private const int Callers = 12;
    private const int RequestRows = 512;
    private const int TotalRows = 1 << 20;

    public string Name => "mlp-batcher";

    public string Description => "urea MLP (CPU, float32): bare batches of 4096 vs through the micro-batcher from 12 callers, and vs TorchSharp, molecules/s";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var weights = Path.GetFullPath(Path.Combine(context.BenchDir, "..", "data", "molstrucclassifier", "urea", "weight_urea.txt"));
        if (!File.Exists(weights)) throw new BenchException($"{weights} not found (data/molstrucclassifier of the repository)");
        var parameters = ReferenceWeightFile.Load(weights).ToParameters();
        using var mlp = new MlpNetwork(parameters, MlpPrecision.Single);
        using var mlp64 = new MlpNetwork(parameters, MlpPrecision.Double);
        using var torch = new MlpNetwork(parameters, MlpPrecision.Single, torchOnCpu: true);
        var random = new Random(1);
        var rows = new double[BatchRows * 24];
        for (int i = 0; i < rows.Length; i++) rows[i] = random.NextDouble() * 30;

        Bare(mlp, rows, BatchRows * 8); // warm-up
        Bare(mlp64, rows, BatchRows * 8);
        Bare(torch, rows, BatchRows * 8);
        var bare = new List<double>();
        var bareTorch = new List<double>();
        var bare64 = new List<double>();
        var batched = new List<double>();
        var options = new MicroBatcherOptions { MaxBatchRows = BatchRows };
        for (int round = 0; round < context.Rounds; round++)
        {
            bare.Add(Bare(mlp, rows, TotalRows));
            batched.Add(Batched(mlp, rows, TotalRows, options));
            bare64.Add(Bare(mlp64, rows, TotalRows));
            bareTorch.Add(Bare(torch, rows, TotalRows));
        }
        var latency = LoneLatency(mlp, rows, options);
        double b = Median(bare), m = Median(batched);
        return
        [
            $"mlp-batcher ratio={F(m / b)} molecules_per_s_bare={b:0} molecules_per_s_batched={m:0} molecules_per_s_bare_float64={Median(bare64):0} lone_request_ms={F(latency)} torch_ratio={F(b / Median(bareTorch))} molecules_per_s_bare_torch={Median(bareTorch):0}",
            $"  bare: MlpNetwork.Forward into a reused output array on {BatchRows}-row batches; batched: {Callers} callers x {RequestRows}-row requests through MicroBatcher (max {BatchRows} rows, max delay {options.MaxDelay.TotalMilliseconds} ms); {TotalRows} rows per pass, medians of {context.Rounds} rounds",
            $"  torch_ratio: bare {mlp.Description} / the same network bare in TorchSharp ({torch.Description}), same batches, alternating",
            $"  lone request: median time for one 8-row request at no load, {F(latency)} ms (max delay {options.MaxDelay.TotalMilliseconds} ms)",
        ];
    }

    private static double Bare(MlpNetwork mlp, double[] rows, int total)
    {
        var outputs = new double[BatchRows * mlp.OutputCount];
        var clock = Stopwatch.StartNew();
        for (int done = 0; done < total; done += BatchRows) mlp.Forward(rows, outputs);
        return total / clock.Elapsed.TotalSeconds;
    }

    private static double Batched(MlpNetwork mlp, double[] rows, int total, MicroBatcherOptions options)
    {
        var batcher = MicroBatcher.For(mlp, options);
        var request = rows.AsMemory(0, RequestRows * 24);
        var clock = Stopwatch.StartNew();
        Task.WaitAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (int done = 0; done < total / Callers; done += RequestRows) await batcher.EvaluateAsync(request);
        })).ToArray());
        double rate = total / Callers * Callers / clock.Elapsed.TotalSeconds;
        batcher.DisposeAsync().AsTask().Wait();
        return rate;
    }

    private static double LoneLatency(MlpNetwork mlp, double[] rows, MicroBatcherOptions options)
    {
        var batcher = MicroBatcher.For(mlp, options);
        var times = new List<double>();
        var small = rows.AsMemory(0, 8 * 24);
        for (int i = 0; i < 50; i++)
        {
            var clock = Stopwatch.StartNew();
            batcher.EvaluateAsync(small).AsTask().Wait();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        batcher.DisposeAsync().AsTask().Wait();
        return Median(times);
    }
}
