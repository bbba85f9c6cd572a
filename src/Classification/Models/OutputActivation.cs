namespace StreamMonitor.Classification.Models;

/// <summary>What the last layer applies; hidden layers always use the logistic sigmoid.</summary>
public enum OutputActivation
{
    /// <summary>Independent logistic outputs (the urea network of Kuroshima et al.).</summary>
    Sigmoid,

    /// <summary>Outputs that sum to one (the nicotinamide network, and the models trained here).</summary>
    Softmax,
}
