namespace StreamMonitor.Classification.Models;

/// <summary>What runs a <see cref="ClassifierModel"/>.</summary>
public enum ClassifierEngine
{
    /// <summary>
    /// The network in the fused CPU kernel (<see cref="FusedMlp"/>), or in TorchSharp on CUDA when the build and the
    /// machine have it, and for graph networks; features on the CPU.
    /// </summary>
    Torch,

    /// <summary>
    /// ILGPU kernels for the network and, for molecular models, the symmetry functions: on a CUDA GPU when ILGPU finds
    /// one, otherwise on ILGPU's CPU accelerator (slower than <see cref="Torch"/>; for checking the GPU code).
    /// </summary>
    Ilgpu,
}
