namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// An atom of a molecule named by its element alone: the <see cref="Ordinal"/>-th atom (1-based, by increasing atom id
/// within the molecule) whose element is <see cref="Symbol"/>. <see cref="Name"/> is what the preset calls it ("N1").
/// </summary>
public readonly record struct ElementRole(string Name, string Symbol, int Ordinal = 1)
{
    public override string ToString() => Ordinal == 1 && Name == Symbol ? Name : $"{Name} (the {Ordinals.Nth(Ordinal)} {Symbol} by atom id)";
}

file static class Ordinals
{
    public static string Nth(int k) => k switch { 1 => "first", 2 => "second", 3 => "third", 4 => "fourth", _ => $"{k}th" };
}
