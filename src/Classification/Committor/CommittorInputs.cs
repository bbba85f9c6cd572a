namespace StreamMonitor.Classification.Committor;

/// <summary>
/// The values a committor model takes, in the order of its input names: picked out of a shooting point's quantities
/// (as a points manifest holds them) and checked, so that a missing or non-finite value is reported by name.
/// </summary>
public static class CommittorInputs
{
    /// <summary>The values of <paramref name="inputs"/> in <paramref name="values"/>, e.g. a manifest point's <c>values</c>.</summary>
    public static double[] Select(IReadOnlyList<string> inputs, IReadOnlyDictionary<string, double> values, string point)
    {
        var x = new double[inputs.Count];
        for (int i = 0; i < x.Length; i++)
            x[i] = values.TryGetValue(inputs[i], out double v)
                ? v
                : throw new ArgumentException($"point '{point}' has no value for input '{inputs[i]}'");
        Check(inputs, x, $"point '{point}'");
        return x;
    }

    /// <summary>Throws unless <paramref name="x"/> holds one finite value per input; <paramref name="where"/> names the configuration.</summary>
    public static void Check(IReadOnlyList<string> inputs, ReadOnlySpan<double> x, string where)
    {
        if (x.Length != inputs.Count)
            throw new ArgumentException($"{where} has {x.Length} values for {inputs.Count} inputs ({string.Join(", ", inputs)})");
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i])) throw new ArgumentException($"input '{inputs[i]}' of {where} is {x[i]}");
    }
}
