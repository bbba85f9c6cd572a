using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// The edges of a batch of graph rows as <see cref="GnnModule"/> builds them once for all its layers: each node's
/// <c>k</c> nearest neighbours (indices [r, n, k]), which of those slots are edges (1) or padding (0), and each edge's
/// radial basis [r, n, k, basis] and real spherical harmonics of its direction [r, n, k, (degree + 1)²], both zero on
/// padding.
/// </summary>
internal sealed record GnnEdges(Tensor Neighbours, Tensor Mask, Tensor Basis, Tensor Harmonics)
{
    /// <summary>
    /// The edges as a dense [r, n, n] matrix, 1 where node i has node j among its edges: sums over a node's neighbours of
    /// wide per-node values become one batched matrix product, where a gather would copy them once per edge.
    /// </summary>
    public Tensor Adjacency { get; } = zeros(Neighbours.shape[0], Neighbours.shape[1], Neighbours.shape[1], dtype: Mask.dtype, device: Mask.device)
        .scatter_add(2, Neighbours, Mask);

    // The neighbours as rows of the batch's node table [r·n, x]: one index_select copies whole rows, where a gather
    // over an expanded [r, n, n, x] view reads element by element.
    private readonly Tensor _rows = (Neighbours + arange(Neighbours.shape[0], dtype: ScalarType.Int64, device: Neighbours.device)
        .view(-1, 1, 1) * Neighbours.shape[1]).flatten();

    /// <summary>The neighbours' values of a per-node tensor [r, n, x], edge by edge: [r, n, k, x].</summary>
    public Tensor Gather(Tensor values)
    {
        long rows = values.shape[0], nodes = values.shape[1], width = values.shape[2];
        return values.reshape(rows * nodes, width).index_select(0, _rows).view(rows, nodes, Neighbours.shape[2], width);
    }
}
