namespace StreamMonitor.Classification.Models;

/// <summary>
/// The rows a network's flat, row-major feature and output arrays hold, checked the same way for every engine, and
/// the one-call form of <see cref="INetwork.Forward(ReadOnlySpan{double}, Span{double})"/>.
/// </summary>
public static class NetworkRows
{
    /// <summary>Rows in <paramref name="values"/> features; throws unless they are whole rows of the network's inputs.</summary>
    public static int Of(INetwork network, int values)
    {
        if (values % network.InputCount != 0)
            throw new ArgumentException($"features hold {values} values, not a whole number of rows of {network.InputCount}", "features");
        return values / network.InputCount;
    }

    /// <summary>Throws unless <paramref name="outputs"/> values hold the outputs of <paramref name="rows"/> rows.</summary>
    public static void CheckOutputs(INetwork network, int rows, int outputs)
    {
        if (outputs < rows * network.OutputCount)
            throw new ArgumentException($"{rows} rows need {rows * network.OutputCount} outputs, the span holds {outputs}", nameof(outputs));
    }

    /// <summary>Outputs (rows × OutputCount) for each row of <paramref name="features"/> (rows × InputCount, row-major).</summary>
    public static double[] Forward(this INetwork network, ReadOnlySpan<double> features)
    {
        var outputs = new double[Of(network, features.Length) * network.OutputCount];
        network.Forward(features, outputs);
        return outputs;
    }
}
