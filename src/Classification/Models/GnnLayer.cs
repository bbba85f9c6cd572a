using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// One message-passing step of <see cref="GnnModule"/>. First every node hears the angular arrangement of its
/// neighbours: each edge gets a few learned weights (the neighbour's state times a function of the edge's length), the
/// weighted real spherical harmonics of the edge directions are summed per node, and the rotation-invariant power
/// Σ_m A_lm[c]² of each channel and order l updates the node's state, as a neighbour-weighted Steinhardt q_l would. Then
/// every node attends to its neighbours with several heads, each head's score the dot product of query and key plus a
/// learned function of the edge's radial basis; the softmax runs over the edges present, and the heard messages
/// update the node's state through a residual. Two layers thus carry a neighbour's angular environment to the
/// target, as Lechner–Dellago averaging does.
/// </summary>
internal sealed class GnnLayer : nn.Module<Tensor, GnnEdges, Tensor, Tensor>
{
    private readonly Linear _query, _key, _value, _distance, _update, _angularNode, _angularEdge, _angularUpdate;
    private readonly LayerNorm _angularNorm;
    private readonly int _heads, _degree;
    private readonly double _scale;

    public GnnLayer(int hidden, int heads, int basis, int degree, int channels) : base("gnn-layer")
    {
        (_heads, _degree) = (heads, degree);
        int invariants = GnnParameters.LayerInvariantCount(degree, channels);
        _angularNode = nn.Linear(hidden, channels, hasBias: false);
        _angularEdge = nn.Linear(basis, channels);
        _angularNorm = nn.LayerNorm(invariants);
        _angularUpdate = nn.Linear(invariants, hidden);
        _query = nn.Linear(hidden, hidden, hasBias: false);
        _key = nn.Linear(hidden, hidden, hasBias: false);
        _value = nn.Linear(hidden, hidden, hasBias: false);
        _distance = nn.Linear(basis, heads);
        _update = nn.Linear(hidden, hidden);
        _scale = 1 / Math.Sqrt(hidden / heads);
        register_module("angular_node", _angularNode);
        register_module("angular_edge", _angularEdge);
        register_module("angular_norm", _angularNorm);
        register_module("angular_update", _angularUpdate);
        register_module("query", _query);
        register_module("key", _key);
        register_module("value", _value);
        register_module("distance", _distance);
        register_module("update", _update);
    }

    /// <param name="h">Node states [rows, nodes, hidden].</param>
    /// <param name="edges">Each node's nearest neighbours, with their radial basis and harmonics.</param>
    /// <param name="present">1 for nodes that are atoms [rows, nodes, 1].</param>
    public override Tensor forward(Tensor h, GnnEdges edges, Tensor present)
    {
        long rows = h.shape[0], nodes = h.shape[1], hidden = h.shape[2], k = edges.Neighbours.shape[2];
        var weights = edges.Gather(_angularNode.forward(h)) * _angularEdge.forward(edges.Basis);   // [r, i, k, c]
        var edgeCount = edges.Mask.sum(-1, keepdim: true).clamp_min(1);                            // [r, i, 1]
        var local = weights.transpose(-1, -2).matmul(edges.Harmonics) / edgeCount.unsqueeze(-1);  // [r, i, c, lm]
        // Averaged over the node and its neighbours before the power is taken, as Lechner–Dellago average q_lm: the
        // power of the sum keeps how the neighbours' arrangements line up with each other, which their powers lose.
        var averaged = (local + edges.Adjacency.matmul(local.flatten(2)).view_as(local)) / (edgeCount + 1).unsqueeze(-1);
        var invariants = cat([SphericalHarmonicTensors.PowerSpectrum(local, _degree), SphericalHarmonicTensors.PowerSpectrum(averaged, _degree)], -1)
            .flatten(2);                                                                           // [r, i, c·2(l + 1)]
        h = (h + nn.functional.silu(_angularUpdate.forward(_angularNorm.forward(invariants)))) * present;

        int width = (int)(hidden / _heads);
        var query = _query.forward(h).view(rows, nodes, 1, _heads, width);
        var keys = edges.Gather(_key.forward(h)).view(rows, nodes, k, _heads, width);
        var scores = (query * keys).sum(-1) * _scale + _distance.forward(edges.Basis);            // [r, i, k, heads]
        // A node without neighbours gets a uniform softmax over masked scores, which the mask then zeroes.
        var mask = edges.Mask.unsqueeze(-1);
        var attention = (scores.masked_fill(mask.eq(0), -1e9).softmax(2) * mask).unsqueeze(-1);    // [r, i, k, heads, 1]
        var values = edges.Gather(_value.forward(h)).view(rows, nodes, k, _heads, width);
        var messages = (attention * values).sum(2).reshape(rows, nodes, hidden);
        return (h + nn.functional.silu(_update.forward(messages))) * present;
    }
}
