using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Training;
using StreamMonitor.Ingest;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// What the graph network costs against the symmetry-function network on the same atoms: features and classification
/// end to end (<see cref="ClassifierModel.Classify"/>), the shipped <c>lj</c> MLP (averaged Steinhardt rows) against a
/// GNN of the default shape <c>train --arch gnn</c> makes (graph rows of the 18 nearest within 1.5σ, 3 layers of 32,
/// 16 radial basis functions), on the last frame of the 10976-atom LJ quench, in atoms/s; ratio = GNN / MLP. The GNN's
/// weights are seeded random numbers: its cost does not depend on their values.
/// </summary>
public sealed class GnnClassifyCase : IBenchCase
{
    public string Name => "gnn-classify";

    public string Description => "LJ atoms/s, features + classification: graph network vs the shipped MLP (10976 atoms)";

    public IReadOnlyList<Tool> Requires => [Tools.Lammps];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var input = context.Data("make-live.sh", "lj11k-quench-24.dump");
        using var reader = TrajectoryReader.Open(input);
        using var frame = reader.ReadAll().Last();
        using var mlp = ClassifierModel.Load("lj");
        using var gnn = new ClassifierModel(RandomGnn(mlp.Classes));
        int atoms = frame.AtomCount;
        for (int w = 0; w < 2; w++)
        {
            mlp.Classify(frame);
            gnn.Classify(frame);
        }
        var mlpRates = new List<double>();
        var gnnRates = new List<double>();
        var graphRates = new List<double>();
        for (int r = 0; r < context.Rounds; r++)
        {
            mlpRates.Add(Rate(() => mlp.Classify(frame), atoms));
            gnnRates.Add(Rate(() => gnn.Classify(frame), atoms));
            graphRates.Add(Rate(() => gnn.Featurizer.Compute(frame), atoms));
        }
        double m = Median(mlpRates), g = Median(gnnRates), rows = Median(graphRates);
        return
        [
            $"{Name} ratio={F(g / m, 4)} gnn_atoms_per_s={F(g, 0)} mlp_atoms_per_s={F(m, 0)} graph_rows_only_atoms_per_s={F(rows, 0)}",
            $"  {atoms} atoms, {Environment.ProcessorCount} cores, TorchSharp CPU in single precision; {F(1000 * atoms / g, 1)} ms per frame " +
            $"with the GNN, {F(1000 * atoms / m, 1)} with the MLP; medians of {context.Rounds} rounds",
        ];
    }

    private static ModelFile RandomGnn(IReadOnlyList<string> classes)
    {
        var graph = GraphFeatureSpec.LennardJones;
        const int Hidden = 32, Layers = 3;
        var random = new Random(1);
        var weights = GnnParameters.ShapesFor(graph.Types, Hidden, Layers, GnnTrainer.DefaultBasis, classes.Count).ToDictionary(
            p => p.Key,
            p => Enumerable.Range(0, (int)p.Value.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray());
        var network = new GnnParameters(graph.Nodes, graph.Types, Hidden, Layers, GnnTrainer.DefaultBasis, graph.Cutoff, classes.Count, weights);
        return new ModelFile("gnn-bench", classes, graph, network);
    }
}
