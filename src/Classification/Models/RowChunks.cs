using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Row-wise work around a forward pass (scaling the inputs, the softmax, the decisions) in chunks of rows, on the cores
/// the process's <see cref="CoreBudget.Shared"/> has idle: a million-row frame's takes tens of milliseconds on one core,
/// while a busy silo runs it in line as before.
/// </summary>
internal static class RowChunks
{
    /// <summary>Rows per chunk: a chunk's outputs stay in the cache through the softmax's passes.</summary>
    public const int Size = 16384;

    /// <summary>Runs <paramref name="body"/>(first, end) over [0, <paramref name="rows"/>) a chunk at a time.</summary>
    public static void For(int rows, Action<int, int> body)
    {
        int chunks = (rows + Size - 1) / Size;
        if (chunks <= 1)
        {
            if (rows > 0) body(0, rows);
            return;
        }
        CoreBudget.Shared.For(chunks, chunk => body(chunk * Size, Math.Min(rows, (chunk + 1) * Size)));
    }
}
