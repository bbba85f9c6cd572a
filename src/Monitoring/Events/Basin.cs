
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// A named region of collective-variable space (e.g. A = liquid: n_max below 20; B = crystal: crystalline fraction
/// above 0.8): a box with a <see cref="BasinBound"/> per <see cref="SummaryQuantities"/> name. A frame is in the
/// basin when it is strictly inside every bound.
/// </summary>
public sealed record Basin
{
    public required string Name { get; init; }

    /// <summary>Bounds by quantity name (<see cref="SummaryQuantities"/>).</summary>
    public required IReadOnlyDictionary<string, BasinBound> Bounds { get; init; }

    public bool Contains(FrameSummary summary)
    {
        foreach (var (quantity, bound) in Bounds)
            if (!bound.Contains(SummaryQuantities.Get(summary, quantity))) return false;
        return true;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a basin needs a name");
        if (Bounds is null || Bounds.Count == 0) throw new ArgumentException($"basin '{Name}' has no bounds: every frame would be inside it");
        foreach (var (quantity, bound) in Bounds)
        {
            try
            {
                SummaryQuantities.Validate(quantity);
                bound.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"basin '{Name}', {quantity}: {e.Message}", e);
            }
        }
    }
}
