using System.Globalization;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// The weight files of the reference symmetry-function classifier (MolStrucClassifier, molvec_lib/ver2.0 nn.cpp):
/// whitespace-separated numbers — hidden-layer count; input, hidden and output sizes; output activation (0 sigmoid,
/// 1 softmax); a (translation, stretch) pair per input, applied as (x − translation) · stretch; a pair per output
/// (unused for classification); a training counter; then per layer (n_in + 1) rows of n_out weights, the first
/// row being the bias.
/// </summary>
public sealed record ReferenceWeightFile(
    IReadOnlyList<int> LayerSizes,
    bool SoftmaxOutput,
    double[] InputTranslation,
    double[] InputStretch,
    IReadOnlyList<double[,]> Weights,
    IReadOnlyList<double[]> Biases)
{
    public int InputCount => LayerSizes[0];
    public int OutputCount => LayerSizes[^1];

    /// <summary>The network as engine-independent parameters.</summary>
    public MlpParameters ToParameters()
    {
        var layers = new List<DenseLayer>();
        for (int l = 0; l < Weights.Count; l++)
        {
            var w = Weights[l];
            int nOut = w.GetLength(0), nIn = w.GetLength(1);
            var flat = new double[nOut * nIn];
            for (int o = 0; o < nOut; o++)
                for (int i = 0; i < nIn; i++)
                    flat[o * nIn + i] = w[o, i];
            layers.Add(new DenseLayer(nIn, nOut, flat, (double[])Biases[l].Clone()));
        }
        return new MlpParameters((double[])InputTranslation.Clone(), (double[])InputStretch.Clone(), layers,
            SoftmaxOutput ? OutputActivation.Softmax : OutputActivation.Sigmoid);
    }

    public static ReferenceWeightFile Load(string path)
    {
        var text = File.ReadAllText(path);
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int pos = 0;
        double Next(string what)
        {
            if (pos >= tokens.Length) throw new FormatException($"{path}: ends before {what} (after {pos} numbers)");
            if (!double.TryParse(tokens[pos], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new FormatException($"{path}: number {pos + 1} ('{tokens[pos]}', {what}) is not a finite number");
            pos++;
            return v;
        }
        int Count(string what)
        {
            double v = Next(what);
            return v == Math.Floor(v) && v is >= 1 and <= 100_000 ? (int)v : throw new FormatException($"{path}: {what} must be a positive whole number, got {v}");
        }

        int hidden = Count("the hidden-layer count");
        var sizes = new int[hidden + 2];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = Count($"layer size {i + 1}");
        double activation = Next("the output activation flag");
        if (activation is not (0 or 1)) throw new FormatException($"{path}: output activation flag must be 0 (sigmoid) or 1 (softmax), got {activation}");
        var translation = new double[sizes[0]];
        var stretch = new double[sizes[0]];
        for (int i = 0; i < sizes[0]; i++)
        {
            translation[i] = Next($"input {i + 1} translation");
            stretch[i] = Next($"input {i + 1} stretch");
        }
        for (int i = 0; i < 2 * sizes[^1]; i++) Next("output scaling");
        Next("the training counter");
        var weights = new List<double[,]>();
        var biases = new List<double[]>();
        for (int layer = 0; layer + 1 < sizes.Length; layer++)
        {
            int nIn = sizes[layer], nOut = sizes[layer + 1];
            var bias = new double[nOut];
            for (int o = 0; o < nOut; o++) bias[o] = Next($"layer {layer + 1} bias {o + 1}");
            var w = new double[nOut, nIn];
            for (int i = 0; i < nIn; i++)
                for (int o = 0; o < nOut; o++)
                    w[o, i] = Next($"layer {layer + 1} weight {i + 1},{o + 1}");
            weights.Add(w);
            biases.Add(bias);
        }
        if (pos != tokens.Length) throw new FormatException($"{path}: {tokens.Length - pos} numbers left after the last layer (layer sizes {string.Join(' ', sizes)})");
        return new ReferenceWeightFile(sizes, activation == 1, translation, stretch, weights, biases);
    }
}
