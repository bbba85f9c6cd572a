using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// One message-passing step of <see cref="GnnModule"/>: every node attends to its neighbours with several heads, each
/// head's score the dot product of query and key plus a learned function of the edge's radial basis, so how far a
/// neighbour is weighs as much as what it is; the softmax runs over the edges present, and the heard messages update
/// the node's state through a residual.
/// </summary>
internal sealed class GnnLayer : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear _query, _key, _value, _distance, _update;
    private readonly int _heads;
    private readonly double _scale;

    public GnnLayer(int hidden, int heads, int basis) : base("gnn-layer")
    {
        _heads = heads;
        _query = nn.Linear(hidden, hidden, hasBias: false);
        _key = nn.Linear(hidden, hidden, hasBias: false);
        _value = nn.Linear(hidden, hidden, hasBias: false);
        _distance = nn.Linear(basis, heads);
        _update = nn.Linear(hidden, hidden);
        _scale = 1 / Math.Sqrt(hidden / heads);
        register_module("query", _query);
        register_module("key", _key);
        register_module("value", _value);
        register_module("distance", _distance);
        register_module("update", _update);
    }

    /// <param name="h">Node states [rows, nodes, hidden].</param>
    /// <param name="basis">Edge radial basis [rows, nodes, nodes, basis], zero off the edges.</param>
    /// <param name="mask">1 where node i has neighbour j [rows, nodes, nodes].</param>
    /// <param name="present">1 for nodes that are atoms [rows, nodes, 1].</param>
    public override Tensor forward(Tensor h, Tensor basis, Tensor mask, Tensor present)
    {
        long rows = h.shape[0], nodes = h.shape[1], hidden = h.shape[2];
        Tensor Heads(Linear map) => map.forward(h).view(rows, nodes, _heads, hidden / _heads).transpose(1, 2); // [r, heads, n, d]
        var scores = Heads(_query).matmul(Heads(_key).transpose(-1, -2)) * _scale + _distance.forward(basis).permute(0, 3, 1, 2);
        // A node without neighbours gets a uniform softmax over masked scores, which the mask then zeroes.
        var edges = mask.unsqueeze(1);
        var attention = scores.masked_fill(edges.eq(0), -1e9).softmax(-1) * edges;
        var messages = attention.matmul(Heads(_value)).transpose(1, 2).reshape(rows, nodes, hidden);
        return (h + nn.functional.silu(_update.forward(messages))) * present;
    }
}
