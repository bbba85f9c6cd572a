namespace StreamMonitor.Analysis;

/// <summary>
/// Union-find over a parent array (an element whose parent is itself is a root). Iterative, so a component of a
/// million particles cannot overflow the stack; callers own the arrays so they can reuse them across frames.
/// </summary>
internal static class DisjointSets
{
    /// <summary>The root of <paramref name="i"/>'s set; compresses the path so later finds are O(1).</summary>
    public static int Find(int[] parent, int i)
    {
        int root = i;
        while (parent[root] != root) root = parent[root];
        while (parent[i] != root)
        {
            int next = parent[i];
            parent[i] = root;
            i = next;
        }
        return root;
    }
}
