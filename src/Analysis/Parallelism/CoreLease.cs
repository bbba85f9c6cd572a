namespace StreamMonitor.Analysis.Parallelism;

/// <summary>Idle cores lent to one parallel loop by <see cref="CoreBudget.Borrow"/>; disposing gives them back.</summary>
public struct CoreLease : IDisposable
{
    private CoreBudget? _budget;
    private readonly int _borrowed;

    internal CoreLease(CoreBudget budget, int borrowed)
    {
        _budget = budget;
        _borrowed = borrowed;
    }

    /// <summary>Threads the loop may use: the calling thread and the borrowed cores.</summary>
    public readonly int DegreeOfParallelism => 1 + _borrowed;

    public void Dispose()
    {
        var budget = _budget;
        _budget = null;
        if (budget is not null && _borrowed > 0) budget.Return(_borrowed);
    }
}
