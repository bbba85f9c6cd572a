using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// The graph network of <see cref="GnnParameters"/> as a TorchSharp module, for training and inference alike. Input rows
/// are <see cref="Features.GraphFeatureSpec"/> graphs; outputs are logits (the caller applies the output activation).
/// </summary>
/// <remarks>
/// <para>Each node's edges are its nearest other present nodes within the cutoff (at most <c>edges</c> of them); an
/// edge's radial basis is a set of Gaussians of its length times a cosine envelope that goes smoothly to zero at the
/// cutoff, so an atom crossing it changes nothing abruptly. Nodes start as their type's embedding plus a projection of
/// their edges' radial basis (which carries their coordination). Message-passing layers (<see cref="GnnLayer"/>)
/// follow, each hearing the angular arrangement of every node's edges and then attending over them.</para>
/// <para>The readout: around the centre of the row's own nodes (the target atom, or a molecule's atoms), every node
/// gets a few learned weights from its state and its distance to the centre, and the bilinear invariants
/// Σ_jk g_j[c] g_k[c′] P_l(cos θ_jk) for l = 0..degree, with P_l the Legendre polynomials, are what a rotationally
/// invariant power spectrum of those weighted directions holds (Σ_m Y_lm Y*_lm ∝ P_l). They go, with the mean state of
/// the own nodes, through a one-hidden-layer head. Nothing but distances and angles between nodes enters, so the
/// outputs do not change when a row is rotated or translated or its neighbour slots are reordered. Edge tensors are
/// rows × nodes × edges × (basis, heads or harmonics), never × nodes² × hidden, which keeps a pass affordable for
/// rows of many nodes.</para>
/// </remarks>
internal sealed class GnnModule : nn.Module<Tensor, Tensor>
{
    private readonly int _nodes, _edges, _degree;
    private readonly double _cutoff, _width;
    private readonly Embedding _embedding;
    private readonly Linear _coordination, _gate, _head, _output;
    private readonly LayerNorm _norm;
    private readonly ModuleList<GnnLayer> _layers;
    private readonly Tensor _centres;

    private GnnModule(int nodes, int types, int hidden, int layers, int basis, double cutoff, int classes, int heads, int degree, int channels,
        int edges) : base("gnn")
    {
        (_nodes, _degree, _cutoff) = (nodes, degree, cutoff);
        _edges = edges;
        int invariants = GnnParameters.InvariantCount(degree, channels);
        _embedding = nn.Embedding(types, hidden);
        _coordination = nn.Linear(basis, hidden);
        _layers = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new GnnLayer(hidden, heads, basis, degree, channels)).ToArray());
        _gate = nn.Linear(hidden + basis, channels);
        _norm = nn.LayerNorm(invariants);
        _head = nn.Linear(hidden + invariants, hidden);
        _output = nn.Linear(hidden, classes);
        // Centres spread evenly over [0, cutoff], each as wide as their spacing.
        _centres = linspace(0, cutoff, basis, dtype: float32);
        _width = basis > 1 ? cutoff / (basis - 1) : cutoff;
        register_module("embedding", _embedding);
        register_module("coordination", _coordination);
        register_module("layers", _layers);
        register_module("gate", _gate);
        register_module("norm", _norm);
        register_module("head", _head);
        register_module("output", _output);
        register_buffer("centres", _centres, persistent: false);
    }

    /// <summary>A module of the shape of <paramref name="parameters"/>, with random weights.</summary>
    public static GnnModule Untrained(GnnParameters parameters) => new(parameters.Nodes, parameters.Types, parameters.Hidden,
        parameters.Layers, parameters.Basis, parameters.Cutoff, parameters.Classes, parameters.Heads, parameters.Degree, parameters.Channels, parameters.EdgesPerNode);

    /// <summary>A module with the shape and weights of <paramref name="parameters"/>.</summary>
    public static GnnModule Create(GnnParameters parameters)
    {
        var module = Untrained(parameters);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var values = tensor(parameters.Weights[name], parameter.shape, dtype: float32);
            parameter.copy_(values);
        }
        return module;
    }

    /// <summary>The module's current weights by name, in single precision.</summary>
    public Dictionary<string, float[]> Weights() => named_parameters().ToDictionary(
        p => p.name, p => p.parameter.detach().to_type(float32).cpu().data<float>().ToArray());

    public override Tensor forward(Tensor rows)
    {
        var graph = rows.view(rows.shape[0], _nodes, Features.GraphFeatureSpec.NodeWidth);
        var present = graph.select(2, 0);                                             // [r, n]
        var types = graph.select(2, 1).to_type(int64);
        var own = graph.select(2, 2).unsqueeze(-1);                                   // [r, n, 1]
        var position = graph.narrow(2, 3, 3);                                         // [r, n, 3]
        var (separation, distance, edges, neighbours) = NearestEdges(position, present);
        var basis = RadialBasis(distance, edges);                                     // [r, n, k, b]
        var presence = present.unsqueeze(-1);
        var h = (_embedding.forward(types) + _coordination.forward(basis.sum(2) / _edges)) * presence;
        var harmonics = SphericalHarmonicTensors.Real(separation / distance.unsqueeze(-1), _degree) * edges.unsqueeze(-1);
        var graphEdges = new GnnEdges(neighbours, edges, basis, harmonics);
        foreach (var layer in _layers) h = layer.forward(h, graphEdges, presence);

        var ownCount = own.sum(1).clamp_min(1);                                       // [r, 1]
        var pooled = (h * own).sum(1) / ownCount;                                     // [r, h]
        var offset = position - ((position * own).sum(1) / ownCount).unsqueeze(1);   // from the own nodes' centre
        var radius = Length(offset);                                                  // [r, n]
        // The centre itself (an atom's own node) has no direction; nodes past the cutoff fade out through the basis.
        var valid = present * radius.gt(1e-6).to_type(rows.dtype) * radius.lt(_cutoff).to_type(rows.dtype);
        var direction = offset / radius.unsqueeze(-1);
        var g = _gate.forward(cat([h, RadialBasis(radius, valid)], -1)) * (Envelope(radius) * valid).unsqueeze(-1); // [r, n, c]
        var legendre = Legendre(direction.matmul(direction.transpose(1, 2)));         // [r, l, n, n]
        var spectrum = g.transpose(1, 2).unsqueeze(1).matmul(legendre).matmul(g.unsqueeze(1)); // [r, l, c, c]
        var count = valid.sum(1).clamp_min(1).view(-1, 1, 1, 1);
        var invariants = _norm.forward((spectrum / count.square()).flatten(1));
        return _output.forward(nn.functional.silu(_head.forward(cat([pooled, invariants], -1))));
    }

    /// <summary>
    /// Each node's edges: its <c>edges</c> nearest other present nodes closer than the cutoff, as the separations
    /// [r, n, k, 3] (from the node to its neighbour), their lengths (the cutoff where there is no edge), a mask of the
    /// edges present and the neighbours' node indices [r, n, k]. Fixed-width edge lists keep every tensor rows × nodes
    /// × k, so rows of many nodes (a molecule's neighbourhood) cost in proportion to their nodes, not their square.
    /// </summary>
    private (Tensor Separation, Tensor Distance, Tensor Edges, Tensor Neighbours) NearestEdges(Tensor position, Tensor present)
    {
        long rows = position.shape[0];
        var separation = position.unsqueeze(1) - position.unsqueeze(2);               // [r, i, j, 3]: from i to j
        var distance = Length(separation);                                            // [r, n, n]
        var self = eye(_nodes, dtype: position.dtype, device: position.device);
        var allowed = present.unsqueeze(2) * present.unsqueeze(1) * (1 - self) * distance.lt(_cutoff).to_type(position.dtype);
        var (nearest, neighbours) = distance.masked_fill(allowed.eq(0), double.PositiveInfinity).topk(_edges, dim: -1, largest: false);
        var edges = nearest.isfinite().to_type(position.dtype);
        var picked = separation.gather(2, neighbours.unsqueeze(-1).expand(rows, _nodes, _edges, 3));
        return (picked, nearest.masked_fill(edges.eq(0), _cutoff), edges, neighbours);
    }

    private static Tensor Length(Tensor vectors) => vectors.square().sum(-1).add(1e-12).sqrt();

    private Tensor Envelope(Tensor distance) => ((distance * (Math.PI / _cutoff)).cos() + 1) * 0.5;

    /// <summary>Gaussians of <paramref name="distance"/> times the cutoff envelope, zero where <paramref name="mask"/> is.</summary>
    private Tensor RadialBasis(Tensor distance, Tensor mask)
    {
        var centres = _centres.to(distance.dtype, distance.device);
        // Capped so far tails stay normal numbers: exp of a very negative argument takes a slow underflow path.
        return (distance.unsqueeze(-1) - centres).div(_width).square().clamp_max(50).neg().exp() * (Envelope(distance) * mask).unsqueeze(-1);
    }

    /// <summary>P_0 … P_degree of <paramref name="cosines"/> [r, n, n], stacked as [r, degree + 1, n, n] (Bonnet's recursion).</summary>
    private Tensor Legendre(Tensor cosines)
    {
        var terms = new List<Tensor> { ones_like(cosines), cosines };
        for (int l = 1; l < _degree; l++) terms.Add(((2 * l + 1) * cosines * terms[l] - l * terms[l - 1]) / (l + 1));
        return stack(terms.Take(_degree + 1), 1);
    }
}
