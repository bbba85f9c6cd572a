namespace StreamMonitor.Analysis.Interfaces;

/// <summary>Which profile shape <see cref="InterfaceFit"/> fits.</summary>
public enum InterfaceGeometry
{
    /// <summary>
    /// A solid slab in a periodic box: two interfaces, f(x) = lo + (hi − lo)/2 · [tanh((x − x1)/w) − tanh((x − x2)/w)],
    /// summed over the neighbouring periodic images so the slab may cross the box boundary. The seeded-growth geometry.
    /// </summary>
    PeriodicSlab,

    /// <summary>One interface, f(x) = a + b · tanh((x − x0)/w): a non-periodic direction (walls) or a profile already cut to one interface.</summary>
    Single,
}
