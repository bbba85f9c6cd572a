namespace StreamMonitor.Classification.Models;

/// <summary>
/// The weights and shape of a classifier network, independent of the engine that runs it: a multilayer perceptron on
/// feature rows (<see cref="MlpParameters"/>) or a graph network on local graphs (<see cref="GnnParameters"/>).
/// </summary>
public abstract record NetworkParameters
{
    /// <summary>The name stored in model files' <c>network.arch</c> ("mlp", "gnn").</summary>
    public abstract string Arch { get; }

    public abstract int InputCount { get; }
    public abstract int OutputCount { get; }
    public abstract OutputActivation Output { get; }
}
