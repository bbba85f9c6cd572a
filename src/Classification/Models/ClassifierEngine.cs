namespace StreamMonitor.Classification.Models;

/// <summary>What runs a <see cref="ClassifierModel"/>.</summary>
public enum ClassifierEngine
{
    /// <summary>TorchSharp for the network (CUDA when the build and machine have it); features on the CPU.</summary>
    Torch,

    /// <summary>
    /// ILGPU kernels for the network and, for molecular models, the symmetry functions: on a CUDA GPU when ILGPU finds
    /// one, otherwise on ILGPU's CPU accelerator (slower than <see cref="Torch"/>; for checking the GPU code).
    /// </summary>
    Ilgpu,
}
