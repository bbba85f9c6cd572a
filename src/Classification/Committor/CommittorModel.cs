using StreamMonitor.Analysis.Committor;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Classification.Committor;

/// <summary>
/// A committor learnt from shot outcomes by <see cref="CommittorTrainer"/>: a small network maps a configuration's
/// quantities x to a coordinate q(x), and p_B = ½ (1 + tanh q), the form <see cref="LikelihoodReactionCoordinate"/> fits
/// linearly, so q is comparable with a Peters–Trout coordinate r and <see cref="LogLikelihood"/> with its log-likelihood.
/// The network is an <see cref="MlpParameters"/> network (inputs standardised with the training points' mean and standard
/// deviation, sigmoid hidden layers, sigmoid output = p_B = σ(2q)); it is evaluated here in double precision, with the
/// gradient the sensitivities need, so a model is immutable, needs no native resources and may be shared by threads.
/// </summary>
public sealed class CommittorModel
{
    private readonly int[] _used;

    internal CommittorModel(IReadOnlyList<string> inputs, MlpParameters network, CommittorTrainingOptions options,
        IReadOnlyList<(double[] x, int toA, int toB)> decided, ReactionCoordinateFit? linearFit)
    {
        Inputs = inputs.ToArray();
        Network = network;
        Options = options;
        _used = Enumerable.Range(0, Inputs.Count).Where(i => network.InputStretch[i] != 0).ToArray();
        IgnoredInputs = Enumerable.Range(0, Inputs.Count).Where(i => network.InputStretch[i] == 0).Select(i => Inputs[i]).ToArray();
        LogLikelihood = LogLikelihoodOf(decided);
        NShots = decided.Sum(d => d.toA + d.toB);
        NPoints = decided.Count;
        Sensitivities = SensitivitiesOver(decided);
        LinearFit = linearFit;
    }

    /// <summary>The quantities every x holds, in this order (constant ones included).</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Inputs that were constant over the training points: their standardising stretch is 0, so they are ignored.</summary>
    public IReadOnlyList<string> IgnoredInputs { get; }

    public MlpParameters Network { get; }
    public CommittorTrainingOptions Options { get; }

    /// <summary>Σ over the training shots of ln p_B (shots that reached B) and ln (1 − p_B) (shots that reached A), in nats.</summary>
    public double LogLikelihood { get; }

    /// <summary>Decided shots (to A or to B) the model was trained on.</summary>
    public int NShots { get; }

    /// <summary>Points with at least one decided shot.</summary>
    public int NPoints { get; }

    /// <summary>
    /// Per used input, the mean over the training points of |∂q/∂z| (z: the standardised input), as a share of the sum
    /// over inputs, largest first: which quantities the learnt coordinate follows. Ignored inputs are not listed.
    /// </summary>
    public IReadOnlyList<InputSensitivity> Sensitivities { get; }

    /// <summary>The linear Peters–Trout coordinate on the same shots and used inputs, or null when its likelihood has no maximum.</summary>
    public ReactionCoordinateFit? LinearFit { get; }

    public double PB(ReadOnlySpan<double> x) => Sigmoid(Logit(x, "the configuration"));

    /// <summary>q(x), with p_B = ½ (1 + tanh q): 0 on the learnt transition state ensemble, positive towards B.</summary>
    public double Coordinate(ReadOnlySpan<double> x) => Logit(x, "the configuration") / 2;

    public CommittorPrediction Predict(string id, ReadOnlySpan<double> x)
    {
        double s = Logit(x, $"point '{id}'");
        return new CommittorPrediction(id, Sigmoid(s), s / 2);
    }

    /// <summary>The log-likelihood of shot outcomes under this model (undecided points count nothing), in nats.</summary>
    public double LogLikelihoodOf(IReadOnlyList<(double[] x, int toA, int toB)> data)
    {
        double sum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var (x, toA, toB) = data[i];
            if (toA < 0 || toB < 0) throw new ArgumentException($"point {i} has {toA} shots to A and {toB} to B; counts cannot be negative");
            if (toA + toB == 0) continue;
            double s = Logit(x, $"point {i}");
            // ln σ(s) = −softplus(−s), ln (1 − σ(s)) = −softplus(s): finite however large |s| is
            sum -= toB * Softplus(-s) + toA * Softplus(s);
        }
        return sum;
    }

    /// <summary>
    /// The candidate whose predicted p_B is closest to ½ (smallest |q|; equal ones by ordinal id), leaving out ids in
    /// <paramref name="exclude"/>; null when no candidate is left. This is where the next shots say most about the
    /// committor (AIMMD's selection of shooting points).
    /// </summary>
    public CommittorPrediction? Next(IEnumerable<(string id, double[] x)> candidates, ISet<string>? exclude = null)
    {
        CommittorPrediction? best = null;
        foreach (var (id, x) in candidates)
        {
            if (exclude?.Contains(id) == true) continue;
            var prediction = Predict(id, x);
            if (best is null || Math.Abs(prediction.Coordinate) < Math.Abs(best.Coordinate)
                || (Math.Abs(prediction.Coordinate) == Math.Abs(best.Coordinate) && string.CompareOrdinal(prediction.Id, best.Id) < 0))
                best = prediction;
        }
        return best;
    }

    /// <summary>The report of this model, with its predictions for <paramref name="points"/> when given.</summary>
    public CommittorModelSummary Summary(IEnumerable<(string id, double[] x)>? points = null) => new()
    {
        Inputs = Inputs,
        IgnoredInputs = IgnoredInputs,
        Hidden = Options.Hidden,
        LogLikelihood = LogLikelihood,
        LinearLogLikelihood = LinearFit?.LogLikelihood,
        NShots = NShots,
        NPoints = NPoints,
        Sensitivities = Sensitivities,
        Predictions = points?.Select(p => Predict(p.id, p.x)).ToArray(),
    };

    private double Logit(ReadOnlySpan<double> x, string where)
    {
        CommittorInputs.Check(Inputs, x, where);
        return Evaluate(x, gradient: null);
    }

    /// <summary>
    /// The output logit s = 2q of x and, when <paramref name="gradient"/> is given, ∂s/∂z for the standardised inputs z,
    /// by back-propagation through the sigmoid layers.
    /// </summary>
    private double Evaluate(ReadOnlySpan<double> x, double[]? gradient)
    {
        var layers = Network.Layers;
        var activations = new double[layers.Count][];
        var input = new double[x.Length];
        for (int i = 0; i < x.Length; i++) input[i] = (x[i] - Network.InputTranslation[i]) * Network.InputStretch[i];
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var output = new double[layer.Outputs];
            for (int o = 0; o < layer.Outputs; o++)
            {
                double sum = layer.Bias[o];
                for (int i = 0; i < layer.Inputs; i++) sum += layer.Weights[o * layer.Inputs + i] * input[i];
                output[o] = l + 1 < layers.Count ? Sigmoid(sum) : sum;
            }
            activations[l] = output;
            input = output;
        }
        if (gradient is not null)
        {
            double[] g = [1.0];
            for (int l = layers.Count - 1; l >= 0; l--)
            {
                var layer = layers[l];
                if (l + 1 < layers.Count)
                    for (int o = 0; o < g.Length; o++) g[o] *= activations[l][o] * (1 - activations[l][o]);
                var below = new double[layer.Inputs];
                for (int o = 0; o < layer.Outputs; o++)
                    for (int i = 0; i < layer.Inputs; i++) below[i] += g[o] * layer.Weights[o * layer.Inputs + i];
                g = below;
            }
            g.CopyTo(gradient, 0);
        }
        return activations[^1][0];
    }

    private InputSensitivity[] SensitivitiesOver(IReadOnlyList<(double[] x, int toA, int toB)> points)
    {
        var total = new double[Inputs.Count];
        var gradient = new double[Inputs.Count];
        foreach (var (x, _, _) in points)
        {
            Evaluate(x, gradient);
            foreach (int i in _used) total[i] += Math.Abs(gradient[i]) / 2; // ∂q/∂z = ½ ∂s/∂z
        }
        double sum = _used.Sum(i => total[i]);
        return _used
            .Select(i => new InputSensitivity(Inputs[i], sum > 0 ? total[i] / sum : 0))
            .OrderByDescending(s => s.Weight).ThenBy(s => s.Input, StringComparer.Ordinal)
            .ToArray();
    }

    private static double Sigmoid(double t) => t >= 0 ? 1 / (1 + Math.Exp(-t)) : Math.Exp(t) / (1 + Math.Exp(t));

    private static double Softplus(double t) => Math.Max(t, 0) + Math.Log(1 + Math.Exp(-Math.Abs(t)));
}
