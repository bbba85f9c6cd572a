"""What the MDAnalysis peers share: time opening a trajectory and reading every frame, print one JSON line.

Prints: seconds (open + all frames), open_seconds, frames, atoms, checksum (sum of x+y+z of the last frame),
version. Interpreter start and imports are not timed.
"""
import json
import time
import warnings

warnings.simplefilter("ignore")
import MDAnalysis  # noqa: E402


def time_read(open_trajectory):
    """open_trajectory() returns (trajectory, n_atoms); the trajectory is iterated once, touching positions."""
    t0 = time.perf_counter()
    trajectory, n_atoms = open_trajectory()
    t1 = time.perf_counter()
    n_frames = trajectory.n_frames
    frames = 0
    checksum = 0.0
    for ts in trajectory:
        pos = ts.positions
        frames += 1
        if frames == n_frames:  # the buffer is reused and rewound after the loop: sum the last frame now
            checksum = float(pos.astype("float64").sum())
    t2 = time.perf_counter()
    print(json.dumps({
        "seconds": t2 - t0,
        "open_seconds": t1 - t0,
        "frames": frames,
        "atoms": int(n_atoms),
        "checksum": checksum,
        "version": MDAnalysis.__version__,
    }))
