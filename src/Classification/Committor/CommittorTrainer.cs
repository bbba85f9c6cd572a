using StreamMonitor.Analysis.Committor;
using StreamMonitor.Classification.Models;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Committor;

/// <summary>
/// Learns a <see cref="CommittorModel"/> from shot outcomes, in the spirit of AIMMD (Jung et al., Nat. Comput. Sci.
/// 2023): each training example is a shooting point's quantities x with the number of its shots that reached A and B
/// (undecided shots say nothing and are left out by the caller; points with no decided shot are skipped), and the
/// network maximises the binomial log-likelihood Σ [n_B ln p_B(x) + n_A ln (1 − p_B(x))] less an L2 penalty α Σ w² on
/// its weights (a Gaussian prior: against the likelihood of 80 shots it holds eight points to a smooth committor, and it
/// counts for less and less as shots accumulate). Training is full-batch Adam for a fixed number of epochs; should the end score a higher
/// penalised loss than the start, the starting weights are kept, so an <see cref="Update"/> never ends worse on its own
/// objective than it began.
/// </summary>
/// <remarks>
/// An input that is constant over the training points (the particle count of a fixed system, say) gets a standardising
/// stretch of 0: the network ignores it and the model lists it in <see cref="CommittorModel.IgnoredInputs"/>, rather than
/// refusing data that a points manifest naturally holds. The initial weights are drawn from a <see cref="Random"/>
/// seeded by the options, not from torch's process-wide generator, which other trainers reseed; the optimisation runs on
/// the process's <see cref="TorchThread"/> in double precision and draws nothing at random, so the same seed and data
/// give the same model.
/// </remarks>
public static class CommittorTrainer
{
    /// <summary>Trains a network from scratch on <paramref name="data"/>: x in the order of <paramref name="inputs"/>.</summary>
    public static CommittorModel Train(IReadOnlyList<string> inputs, IReadOnlyList<(double[] x, int toA, int toB)> data, CommittorTrainingOptions? options = null)
    {
        options ??= new CommittorTrainingOptions();
        options.Validate();
        CheckInputs(inputs);
        var decided = Decided(inputs, data);
        var (translation, stretch) = Standardisation(inputs, decided);
        var start = InitialLayers([inputs.Count, .. options.Hidden, 1], options.Seed);
        return Fit(inputs, new MlpParameters(translation, stretch, start, OutputActivation.Sigmoid), options, decided);
    }

    /// <summary>
    /// Trains on, from <paramref name="previous"/>'s weights, with data that has grown as shots finished (pass all of it,
    /// old and new). The input scaling stays the previous model's, since its weights are in those units; so an input it
    /// ignored as constant stays ignored (train afresh to take it up). Options default to the previous model's; their
    /// hidden widths must match its network, and the seed plays no part.
    /// </summary>
    public static CommittorModel Update(CommittorModel previous, IReadOnlyList<(double[] x, int toA, int toB)> data, CommittorTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        options ??= previous.Options;
        options.Validate();
        if (!options.Hidden.SequenceEqual(previous.Options.Hidden))
            throw new ArgumentException($"hidden widths {string.Join(",", options.Hidden)} differ from the previous model's {string.Join(",", previous.Options.Hidden)}; train afresh to change them");
        var decided = Decided(previous.Inputs, data);
        return Fit(previous.Inputs, previous.Network, options, decided);
    }

    private static CommittorModel Fit(IReadOnlyList<string> inputs, MlpParameters start, CommittorTrainingOptions options, IReadOnlyList<(double[] x, int toA, int toB)> decided)
    {
        DenseLayer[] layers = [];
        TorchThread.Shared.Run(() => layers = Optimise(start, options, decided));
        var network = new MlpParameters(start.InputTranslation, start.InputStretch, layers, OutputActivation.Sigmoid);
        return new CommittorModel(inputs, network, options, decided, LinearFit(inputs, start.InputStretch, decided));
    }

    private static DenseLayer[] Optimise(MlpParameters start, CommittorTrainingOptions options, IReadOnlyList<(double[] x, int toA, int toB)> decided)
    {
        using var scope = NewDisposeScope();
        int width = start.InputCount;
        var standardised = new double[decided.Count * width];
        for (int p = 0; p < decided.Count; p++)
            for (int i = 0; i < width; i++)
                standardised[p * width + i] = (decided[p].x[i] - start.InputTranslation[i]) * start.InputStretch[i];
        var z = tensor(standardised, [decided.Count, width], dtype: float64);
        var toA = tensor(decided.Select(d => (double)d.toA).ToArray(), dtype: float64);
        var toB = tensor(decided.Select(d => (double)d.toB).ToArray(), dtype: float64);
        double shots = decided.Sum(d => d.toA + d.toB);

        using var network = new CommittorNetwork(start.Layers);
        using var optimizer = optim.Adam(network.Parameters, options.LearningRate);
        double startLoss = double.NaN;
        for (int epoch = 0; ; epoch++)
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            var s = network.Logits(z);
            // −ln L = Σ n_B softplus(−s) + n_A softplus(s), since p_B = σ(s); per shot, so the step size suits any data size
            var loss = ((toB * nn.functional.softplus(-s) + toA * nn.functional.softplus(s)).sum()
                        + options.WeightDecay * network.WeightNorm()) / shots;
            if (epoch == 0) startLoss = loss.item<double>();
            if (epoch == options.Epochs) return loss.item<double>() <= startLoss ? network.Snapshot() : start.Layers.ToArray();
            loss.backward();
            optimizer.step();
        }
    }

    /// <summary>Checks every point and keeps those with a decided shot.</summary>
    private static (double[] x, int toA, int toB)[] Decided(IReadOnlyList<string> inputs, IReadOnlyList<(double[] x, int toA, int toB)> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        for (int p = 0; p < data.Count; p++)
        {
            var (x, toA, toB) = data[p];
            if (x is null) throw new ArgumentException($"point {p} has no values");
            CommittorInputs.Check(inputs, x, $"point {p}");
            if (toA < 0 || toB < 0) throw new ArgumentException($"point {p} has {toA} shots to A and {toB} to B; counts cannot be negative");
        }
        var decided = data.Where(d => d.toA + d.toB > 0).ToArray();
        if (decided.Length < 2)
            throw new ArgumentException($"a committor model needs decided shots from at least 2 points, got {decided.Length} of {data.Count} points");
        int reachedB = decided.Sum(d => d.toB), all = decided.Sum(d => d.toA + d.toB);
        if (reachedB == 0 || reachedB == all)
            throw new ArgumentException($"all {all} decided shots reached {(reachedB == 0 ? "A" : "B")}: the outcomes say nothing about where the committor changes");
        return decided;
    }

    private static void CheckInputs(IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("a committor model needs at least one input");
        if (inputs.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("input names must not be empty");
        var twice = inputs.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"input '{twice.Key}' is named twice");
    }

    /// <summary>Per input over the points: translation = mean, stretch = 1/standard deviation, or 0 for a constant input.</summary>
    private static (double[] Translation, double[] Stretch) Standardisation(IReadOnlyList<string> inputs, IReadOnlyList<(double[] x, int toA, int toB)> points)
    {
        var mean = new double[inputs.Count];
        var stretch = new double[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            mean[i] = points.Average(p => p.x[i]);
            double sd = Math.Sqrt(points.Average(p => Math.Pow(p.x[i] - mean[i], 2)));
            stretch[i] = sd > 1e-12 * Math.Max(1, Math.Abs(mean[i])) ? 1 / sd : 0;
        }
        if (stretch.All(s => s == 0))
            throw new ArgumentException($"every input ({string.Join(", ", inputs)}) has the same value at all {points.Count} points: nothing to learn the committor from");
        return (mean, stretch);
    }

    /// <summary>Layers with weights and biases uniform in ±1/√inputs (torch.nn.Linear's default), drawn from the seed.</summary>
    private static DenseLayer[] InitialLayers(int[] widths, int seed)
    {
        var random = new Random(seed);
        double Draw(int inputs) => (2 * random.NextDouble() - 1) / Math.Sqrt(inputs);
        var layers = new DenseLayer[widths.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            int inputs = widths[l], outputs = widths[l + 1];
            var weights = new double[inputs * outputs];
            for (int k = 0; k < weights.Length; k++) weights[k] = Draw(inputs);
            var bias = new double[outputs];
            for (int k = 0; k < bias.Length; k++) bias[k] = Draw(inputs);
            layers[l] = new DenseLayer(inputs, outputs, weights, bias);
        }
        return layers;
    }

    /// <summary>
    /// The Peters–Trout coordinate on the same shots and the inputs the network uses, for comparison; null when it has no
    /// finite maximum (outcomes split exactly) or there are no more shots than coefficients.
    /// </summary>
    private static ReactionCoordinateFit? LinearFit(IReadOnlyList<string> inputs, double[] stretch, IReadOnlyList<(double[] x, int toA, int toB)> decided)
    {
        var used = Enumerable.Range(0, inputs.Count).Where(i => stretch[i] != 0).ToArray();
        var values = new List<double[]>();
        var reachedB = new List<bool>();
        foreach (var (x, toA, toB) in decided)
        {
            var row = used.Select(i => x[i]).ToArray();
            for (int k = 0; k < toA + toB; k++)
            {
                values.Add(row);
                reachedB.Add(k < toB);
            }
        }
        if (values.Count <= used.Length + 1) return null;
        try
        {
            return LikelihoodReactionCoordinate.Fit(used.Select(i => inputs[i]).ToArray(), values, reachedB);
        }
        catch (InvalidOperationException)
        {
            return null; // separable: no finite linear coordinate to compare with
        }
    }
}
