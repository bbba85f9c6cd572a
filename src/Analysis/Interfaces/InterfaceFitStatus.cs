namespace StreamMonitor.Analysis.Interfaces;

public enum InterfaceFitStatus
{
    /// <summary>The tanh model was fitted; positions, width and plateaus are set.</summary>
    Fitted,

    /// <summary>The profile is flat (all solid, all liquid, or a contrast below the fit's minimum): there is no interface to place.</summary>
    NoInterface,

    /// <summary>The profile has a step but the fit did not give a usable answer (too few filled slabs, no convergence); see the message.</summary>
    Failed,
}
