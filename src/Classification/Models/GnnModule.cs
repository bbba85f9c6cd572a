using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// The graph network of <see cref="GnnParameters"/> as a TorchSharp module, for training and inference alike. Input rows
/// are <see cref="Features.GraphFeatureSpec"/> graphs; outputs are logits (the caller applies the output activation).
/// </summary>
/// <remarks>
/// Only distances between nodes enter the network, never the displacements themselves, so its outputs do not change
/// when a graph is rotated or translated or its neighbour slots are reordered. Edges join present nodes closer than
/// the cutoff; an edge's features are a Gaussian radial basis of its length times a cosine envelope that goes smoothly
/// to zero at the cutoff (so an atom crossing it changes nothing abruptly), projected to the hidden width. A node
/// starts as its type's embedding plus the sum of its edges' features over the node count (which carries its
/// coordination, which attention alone would normalise away); message-passing layers (<see cref="GnnLayer"/>) that also
/// update the edges from their triangles follow;
/// the readout is the mean over the row's own nodes (the target atom, or a molecule's atoms), then a one-hidden-layer
/// head.
/// </remarks>
internal sealed class GnnModule : nn.Module<Tensor, Tensor>
{
    private readonly int _nodes;
    private readonly double _cutoff;
    private readonly Embedding _embedding;
    private readonly Linear _edge, _head, _output;
    private readonly ModuleList<GnnLayer> _layers;
    private readonly Tensor _centres;
    private readonly double _width;

    public GnnModule(int nodes, int types, int hidden, int layers, int basis, double cutoff, int classes) : base("gnn")
    {
        _nodes = nodes;
        _cutoff = cutoff;
        _embedding = nn.Embedding(types, hidden);
        _edge = nn.Linear(basis, hidden);
        _layers = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new GnnLayer(hidden)).ToArray());
        _head = nn.Linear(hidden, hidden);
        _output = nn.Linear(hidden, classes);
        // Centres spread evenly over [0, cutoff], each as wide as their spacing.
        _centres = linspace(0, cutoff, basis, dtype: float32);
        _width = basis > 1 ? cutoff / (basis - 1) : cutoff;
        register_module("embedding", _embedding);
        register_module("edge", _edge);
        register_module("layers", _layers);
        register_module("head", _head);
        register_module("output", _output);
        register_buffer("centres", _centres, persistent: false);
    }

    /// <summary>A module with the shape and weights of <paramref name="parameters"/>.</summary>
    public static GnnModule Create(GnnParameters parameters)
    {
        var module = new GnnModule(parameters.Nodes, parameters.Types, parameters.Hidden, parameters.Layers, parameters.Basis, parameters.Cutoff,
            parameters.Classes);
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
        var own = graph.select(2, 2);
        var position = graph.narrow(2, 3, 3);
        var distance = (position.unsqueeze(2) - position.unsqueeze(1)).square().sum(-1).add(1e-12).sqrt(); // [r, n, n]
        var self = eye(_nodes, dtype: rows.dtype, device: rows.device);
        var mask = present.unsqueeze(2) * present.unsqueeze(1) * distance.lt(_cutoff).to_type(rows.dtype) * (1 - self);
        var envelope = ((distance * (Math.PI / _cutoff)).cos() + 1) * 0.5 * mask;
        var centres = _centres.to(rows.dtype, rows.device);
        var basis = (distance.unsqueeze(-1) - centres).div(_width).square().neg().exp() * envelope.unsqueeze(-1);
        var edges = nn.functional.silu(_edge.forward(basis)) * mask.unsqueeze(-1);    // [r, n, n, h]
        var presence = present.unsqueeze(-1);
        var h = (_embedding.forward(types) + edges.sum(2) / _nodes) * presence;
        foreach (var layer in _layers) (h, edges) = layer.forward(h, edges, mask, presence);
        var weights = own.unsqueeze(-1);
        var pooled = (h * weights).sum(1) / weights.sum(1).clamp_min(1);
        return _output.forward(nn.functional.silu(_head.forward(pooled)));
    }
}
