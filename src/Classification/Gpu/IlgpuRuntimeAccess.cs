using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator runs a kernel from a dynamic assembly named "ILGPURuntime", which must be able to see the
// kernels' parameter types (IlgpuMlp.Shape, IlgpuSymmetryFunctions.Constants). They are internal rather than public so
// that they stay out of this library's API.
[assembly: InternalsVisibleTo("ILGPURuntime")]
