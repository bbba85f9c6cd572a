using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Training;
using StreamMonitor.Ingest;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// What the graph network costs against the symmetry-function networks on the same frames: features and classification
/// end to end (<see cref="ClassifierModel.Classify"/>), GNNs of the default shape <c>train --arch gnn</c> makes (3 layers
/// of 32, 16 radial basis functions, each node's 16 nearest as edges) with seeded random weights (the cost does not
/// depend on their values) against the shipped MLPs. Atoms: the last frame of the 10976-atom LJ quench, graph rows of
/// the 18 nearest within 1.5σ against <c>lj</c> (averaged Steinhardt rows), in atoms/s. Molecules: the committed
/// urea form I frame (432 molecules), <c>molgraph:urea</c> rows (heavy atoms within 6 Å) against <c>urea-lmp</c>
/// (molecular symmetry functions), in molecules/s. Ratios = GNN / MLP.
/// </summary>
public sealed class GnnClassifyCase : IBenchCase
{
    public string Name => "gnn-classify";

    public string Description => "atoms/s (LJ, 10976) and molecules/s (urea, 432), features + classification: graph network vs the shipped MLP";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var lj = Compare(context, context.Data("make-live.sh", "lj11k-quench-24.dump"), "lj", GraphFeatureSpec.LennardJones);
        var urea = Compare(context, CrossRunBatchingCase.Frames(context), "urea-lmp", new MolecularGraphFeatureSpec("urea"));
        return
        [
            $"{Name} ratio={F(lj.Gnn / lj.Mlp, 4)} gnn_atoms_per_s={F(lj.Gnn, 0)} mlp_atoms_per_s={F(lj.Mlp, 0)} graph_rows_only_atoms_per_s={F(lj.Rows, 0)} " +
            $"urea_ratio={F(urea.Gnn / urea.Mlp, 4)} gnn_molecules_per_s={F(urea.Gnn, 0)} mlp_molecules_per_s={F(urea.Mlp, 0)} molgraph_rows_only_molecules_per_s={F(urea.Rows, 0)}",
            $"  {lj.Count} LJ atoms: {F(1000 * lj.Count / lj.Gnn, 1)} ms per frame with the GNN, {F(1000 * lj.Count / lj.Mlp, 1)} with the MLP; " +
            $"{urea.Count} urea molecules: {F(1000 * urea.Count / urea.Gnn, 1)} ms and {F(1000 * urea.Count / urea.Mlp, 1)} ms; " +
            $"{Environment.ProcessorCount} cores, single precision (the GNN in TorchSharp, the MLP in the fused CPU kernel), medians of {context.Rounds} rounds",
        ];
    }

    /// <summary>Rows/s of the shipped MLP <paramref name="model"/> and a GNN on <paramref name="graph"/> rows, on the last frame of <paramref name="path"/>.</summary>
    private static (double Gnn, double Mlp, double Rows, int Count) Compare(BenchContext context, string path, string model, GraphFeatureSpec graph)
    {
        using var reader = TrajectoryReader.Open(path);
        Core.Frame? frame = null;
        foreach (var next in reader.ReadAll())
        {
            frame?.Dispose();
            frame = next;
        }
        using var last = frame ?? throw new BenchException($"{path} has no frames");
        using var mlp = ClassifierModel.Load(model);
        using var gnn = new ClassifierModel(RandomGnn(graph, mlp.Classes));
        int rows = mlp.Classify(last).Rows.Count;
        for (int w = 0; w < 2; w++)
        {
            mlp.Classify(last);
            gnn.Classify(last);
        }
        var mlpRates = new List<double>();
        var gnnRates = new List<double>();
        var graphRates = new List<double>();
        for (int r = 0; r < context.Rounds; r++)
        {
            mlpRates.Add(Rate(() => mlp.Classify(last), rows));
            gnnRates.Add(Rate(() => gnn.Classify(last), rows));
            graphRates.Add(Rate(() => gnn.Featurizer.Compute(last), rows));
        }
        return (Median(gnnRates), Median(mlpRates), Median(graphRates), rows);
    }

    private static ModelFile RandomGnn(GraphFeatureSpec graph, IReadOnlyList<string> classes)
    {
        const int Hidden = 32, Layers = 3;
        var random = new Random(1);
        var weights = GnnParameters.ShapesFor(graph.Types, Hidden, Layers, GnnTrainer.DefaultBasis, classes.Count).ToDictionary(
            p => p.Key,
            p => Enumerable.Range(0, (int)p.Value.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray());
        var network = new GnnParameters(graph.Nodes, graph.Types, Hidden, Layers, GnnTrainer.DefaultBasis, graph.Cutoff, classes.Count, weights);
        return new ModelFile("gnn-bench", classes, graph, network);
    }
}
