namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// An orientation vector of a molecule: from the atom whose role column equals <see cref="From"/> to the atom whose
/// role column equals <see cref="To"/> (the reference program's <c>vec_id FROM TO</c>).
/// </summary>
public readonly record struct RoleVector(string From, string To);
