using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// One message-passing step of <see cref="GnnModule"/>. First every edge i–j hears from the triangles it is in
/// (Σ_k over nodes k joined to both, of its edges i–k and j–k): the three distances of a triangle fix its angles, so
/// edges learn the angular arrangement that pairwise messages alone cannot tell apart (fcc from hcp). Then every node
/// attends to its neighbours (a softmax over the edges present, with the edge features in both the scores and the
/// messages) and adds what it hears to its state.
/// </summary>
internal sealed class GnnLayer : nn.Module<Tensor, Tensor, Tensor, Tensor, (Tensor Nodes, Tensor Edges)>
{
    /// <summary>The layer's hidden × hidden weights, by name; <c>update</c> and <c>triangle</c> also have a bias.</summary>
    internal static readonly string[] SquareWeights = ["query", "key", "value", "update", "left", "right", "triangle"];

    private readonly Linear _query, _key, _value, _update, _left, _right, _triangle;
    private readonly double _scale;

    public GnnLayer(int hidden) : base("gnn-layer")
    {
        _query = nn.Linear(hidden, hidden, hasBias: false);
        _key = nn.Linear(hidden, hidden, hasBias: false);
        _value = nn.Linear(hidden, hidden, hasBias: false);
        _update = nn.Linear(hidden, hidden);
        _left = nn.Linear(hidden, hidden, hasBias: false);
        _right = nn.Linear(hidden, hidden, hasBias: false);
        _triangle = nn.Linear(hidden, hidden);
        _scale = 1 / Math.Sqrt(hidden);
        register_module("query", _query);
        register_module("key", _key);
        register_module("value", _value);
        register_module("update", _update);
        register_module("left", _left);
        register_module("right", _right);
        register_module("triangle", _triangle);
    }

    /// <param name="h">Node states [rows, nodes, hidden].</param>
    /// <param name="edges">Edge features [rows, nodes, nodes, hidden].</param>
    /// <param name="mask">1 where node i has neighbour j [rows, nodes, nodes].</param>
    /// <param name="present">1 for nodes that are atoms [rows, nodes, 1].</param>
    public override (Tensor Nodes, Tensor Edges) forward(Tensor h, Tensor edges, Tensor mask, Tensor present)
    {
        var edgeMask = mask.unsqueeze(-1);
        var left = (_left.forward(edges) * edgeMask).permute(0, 3, 1, 2);              // [r, h, i, k]
        var right = (_right.forward(edges) * edgeMask).permute(0, 3, 2, 1);            // [r, h, k, j]
        var triangles = left.matmul(right).permute(0, 2, 3, 1) / mask.size(1);         // [r, i, j, h]
        edges = edges + nn.functional.silu(_triangle.forward(triangles)) * edgeMask;
        var q = _query.forward(h).unsqueeze(2);                       // [r, i, 1, h]
        var k = _key.forward(h).unsqueeze(1);                         // [r, 1, j, h]
        var scores = (q * (k + edges)).sum(-1) * _scale;              // [r, i, j]
        // A node without neighbours gets a uniform softmax over masked scores, which the mask then zeroes.
        var attention = scores.masked_fill(mask.eq(0), -1e9).softmax(-1) * mask;
        var messages = (attention.unsqueeze(-1) * (_value.forward(h).unsqueeze(1) * edges)).sum(2);
        return ((h + nn.functional.silu(_update.forward(messages))) * present, edges);
    }
}
