namespace StreamMonitor.Classification.Models;

/// <summary>
/// A graph network on <see cref="Features.GraphFeatureSpec"/> rows (<see cref="GnnModule"/> says what it computes):
/// its shape and its weights by parameter name, in single precision, as training leaves them.
/// </summary>
public sealed record GnnParameters : NetworkParameters
{
    public const string ArchName = "gnn";
    public const int DefaultHeads = 4, DefaultDegree = 6, DefaultChannels = 8, DefaultEdges = 16;

    /// <param name="nodes">Nodes per row (the target and its neighbour slots).</param>
    /// <param name="types">Atom types the embedding holds.</param>
    /// <param name="hidden">Width of the node states, edge features and head.</param>
    /// <param name="layers">Message-passing layers.</param>
    /// <param name="basis">Gaussian radial basis functions per edge.</param>
    /// <param name="cutoff">Node pairs farther apart than this share no edge; the radial basis spans 0 to it.</param>
    /// <param name="classes">Outputs.</param>
    /// <param name="weights">Every parameter of <see cref="Shapes"/> by name, row-major.</param>
    /// <param name="heads">Attention heads per message-passing layer; they split <paramref name="hidden"/> evenly.</param>
    /// <param name="degree">Highest Legendre order of the readout's angular invariants.</param>
    /// <param name="channels">Learned weights per edge or node in the angular invariants of the layers and the readout.</param>
    /// <param name="edges">Edges per node: its nearest other nodes within the cutoff, at most this many.</param>
    public GnnParameters(int nodes, int types, int hidden, int layers, int basis, double cutoff, int classes,
        IReadOnlyDictionary<string, float[]> weights, OutputActivation output = OutputActivation.Softmax,
        int heads = DefaultHeads, int degree = DefaultDegree, int channels = DefaultChannels, int edges = DefaultEdges)
    {
        if (nodes < 2) throw new ArgumentException($"a graph needs at least 2 nodes, got {nodes}", nameof(nodes));
        if (types < 1) throw new ArgumentException($"types must be at least 1, got {types}", nameof(types));
        if (hidden < 1) throw new ArgumentException($"hidden must be at least 1, got {hidden}", nameof(hidden));
        if (layers < 1) throw new ArgumentException($"layers must be at least 1, got {layers}", nameof(layers));
        if (basis < 1) throw new ArgumentException($"basis must be at least 1, got {basis}", nameof(basis));
        if (!(cutoff > 0 && double.IsFinite(cutoff))) throw new ArgumentException($"cutoff must be positive, got {cutoff}", nameof(cutoff));
        if (classes < 1) throw new ArgumentException($"classes must be at least 1, got {classes}", nameof(classes));
        if (heads < 1 || hidden % heads != 0) throw new ArgumentException($"heads must divide hidden ({hidden}), got {heads}", nameof(heads));
        if (degree < 1) throw new ArgumentException($"degree must be at least 1, got {degree}", nameof(degree));
        if (channels < 1) throw new ArgumentException($"channels must be at least 1, got {channels}", nameof(channels));
        if (edges < 1) throw new ArgumentException($"edges must be at least 1, got {edges}", nameof(edges));
        (Nodes, Types, Hidden, Layers, Basis, Cutoff, Classes, Output) = (nodes, types, hidden, layers, basis, cutoff, classes, output);
        (Heads, Degree, Channels, Edges) = (heads, degree, channels, edges);
        var shapes = Shapes;
        foreach (var name in weights.Keys)
            if (!shapes.ContainsKey(name)) throw new ArgumentException($"weights: '{name}' is not a parameter of this network");
        foreach (var (name, shape) in shapes)
        {
            if (!weights.TryGetValue(name, out var values)) throw new ArgumentException($"weights: '{name}' is missing");
            long size = shape.Aggregate(1L, (a, b) => a * b);
            if (values.Length != size)
                throw new ArgumentException($"weights: '{name}' holds {values.Length} values, its shape [{string.Join(", ", shape)}] needs {size}");
            if (!values.All(float.IsFinite)) throw new ArgumentException($"weights: '{name}' holds a value that is not a finite number");
        }
        Weights = shapes.Keys.ToDictionary(k => k, k => weights[k]);
    }

    public int Nodes { get; }
    public int Types { get; }
    public int Hidden { get; }
    public int Layers { get; }
    public int Basis { get; }
    public double Cutoff { get; }
    public int Classes { get; }
    public int Heads { get; }
    public int Degree { get; }
    public int Channels { get; }
    public int Edges { get; }

    /// <summary>Edge slots per node: <see cref="Edges"/>, but never more than the other nodes of a row.</summary>
    public int EdgesPerNode => Math.Min(Edges, Nodes - 1);
    public IReadOnlyDictionary<string, float[]> Weights { get; }

    public override string Arch => ArchName;
    public override int InputCount => Nodes * Features.GraphFeatureSpec.NodeWidth;
    public override int OutputCount => Classes;
    public override OutputActivation Output { get; }

    /// <summary>A network of this shape with zero weights, for a trainer to fill (<see cref="WithWeights"/>).</summary>
    public static GnnParameters Blank(int nodes, int types, int hidden, int layers, int basis, double cutoff, int classes) =>
        new(nodes, types, hidden, layers, basis, cutoff, classes,
            ShapesFor(types, hidden, layers, basis, classes).ToDictionary(s => s.Key, s => new float[s.Value.Aggregate(1L, (a, b) => a * b)]));

    /// <summary>The same shape with other weights.</summary>
    public GnnParameters WithWeights(IReadOnlyDictionary<string, float[]> weights) =>
        new(Nodes, Types, Hidden, Layers, Basis, Cutoff, Classes, weights, Output, Heads, Degree, Channels, Edges);

    /// <summary>Every parameter's name and shape, in the order <see cref="GnnModule"/> registers them.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes => ShapesFor(Types, Hidden, Layers, Basis, Classes, Heads, Degree, Channels);

    /// <summary>Angular invariants of a layer per node: one per order 0..degree and channel, of the node and of its neighbourhood.</summary>
    public static int LayerInvariantCount(int degree, int channels) => 2 * (degree + 1) * channels;

    /// <summary>Angular invariants of the readout: one per Legendre order 0..degree and ordered pair of channels.</summary>
    public static int InvariantCount(int degree, int channels) => (degree + 1) * channels * channels;

    /// <summary>The parameters' names and shapes of a network of this shape.</summary>
    public static IReadOnlyDictionary<string, long[]> ShapesFor(int types, int hidden, int layers, int basis, int classes,
        int heads = DefaultHeads, int degree = DefaultDegree, int channels = DefaultChannels, int edges = DefaultEdges)
    {
        int invariants = InvariantCount(degree, channels), layerInvariants = LayerInvariantCount(degree, channels);
        var shapes = new Dictionary<string, long[]>
        {
            ["embedding.weight"] = [types, hidden],
            ["coordination.weight"] = [hidden, basis],
            ["coordination.bias"] = [hidden],
        };
        for (int l = 0; l < layers; l++)
        {
            shapes[$"layers.{l}.angular_node.weight"] = [channels, hidden];
            shapes[$"layers.{l}.angular_edge.weight"] = [channels, basis];
            shapes[$"layers.{l}.angular_edge.bias"] = [channels];
            shapes[$"layers.{l}.angular_norm.weight"] = [layerInvariants];
            shapes[$"layers.{l}.angular_norm.bias"] = [layerInvariants];
            shapes[$"layers.{l}.angular_update.weight"] = [hidden, layerInvariants];
            shapes[$"layers.{l}.angular_update.bias"] = [hidden];
            foreach (var part in new[] { "query", "key", "value" }) shapes[$"layers.{l}.{part}.weight"] = [hidden, hidden];
            shapes[$"layers.{l}.distance.weight"] = [heads, basis];
            shapes[$"layers.{l}.distance.bias"] = [heads];
            shapes[$"layers.{l}.update.weight"] = [hidden, hidden];
            shapes[$"layers.{l}.update.bias"] = [hidden];
        }
        shapes["gate.weight"] = [channels, hidden + basis];
        shapes["gate.bias"] = [channels];
        shapes["norm.weight"] = [invariants];
        shapes["norm.bias"] = [invariants];
        shapes["head.weight"] = [hidden, hidden + invariants];
        shapes["head.bias"] = [hidden];
        shapes["output.weight"] = [classes, hidden];
        shapes["output.bias"] = [classes];
        return shapes;
    }
}
