using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Classification.Models;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Features and classification together, as a live run does them per frame: <see cref="ClassifierModel.Classify"/>
/// with the shipped urea-2024 model (molecular symmetry functions, then the network in single precision) on the urea
/// form I crystal replicated 5 × 2 × 1 (4320 molecules), in molecules/s; ratio = end to end over the features alone,
/// i.e. the share of the time the network leaves to the features.
/// </summary>
public sealed class UreaClassifyCase : IBenchCase
{
    public string Name => "urea-classify";

    public string Description => "urea features + classification end to end (urea-2024 model, 4320 molecules), molecules/s";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var input = Path.GetFullPath(Path.Combine(context.BenchDir, "..", "data", "molstrucclassifier", "urea", "form-I-3456atoms.dump"));
        if (!File.Exists(input)) throw new BenchException($"{input} not found (data/molstrucclassifier of the repository)");
        using var reader = TrajectoryReader.Open(input);
        using var small = reader.Read()!;
        using var frame = Supercell.Of(small, 5, 2, 1);
        using var model = ClassifierModel.Load("urea-2024");
        var features = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea);
        int molecules = features.Compute(frame).Count;
        for (int w = 0; w < 3; w++)
        {
            model.Classify(frame);
            features.Compute(frame);
        }
        var endToEnd = new List<double>();
        var featuresOnly = new List<double>();
        for (int r = 0; r < context.Rounds; r++)
        {
            endToEnd.Add(Rate(() => model.Classify(frame), molecules));
            featuresOnly.Add(Rate(() => features.Compute(frame), molecules));
        }
        double e = Median(endToEnd), f = Median(featuresOnly);
        var (_, predictions) = model.Classify(frame);
        return
        [
            $"{Name} ratio={F(e / f)} molecules_per_s={F(e, 0)} features_only_molecules_per_s={F(f, 0)}",
            $"  {molecules} molecules per frame in memory, {Environment.ProcessorCount} cores; {F(1000 * molecules / e, 2)} ms/frame end to end; " +
            $"form I share {F(100.0 * predictions.Counts()[0] / molecules, 1)}%; medians of {context.Rounds} rounds",
        ];
    }
}
