namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// How the atoms of one frame take their roles: a class per atom (a role-column value or an element; -1 for none), the
/// role slots as (class, ordinal within the molecule by atom id), and, when roles come from elements, the composition
/// every molecule must have.
/// </summary>
internal sealed class RoleAssignment
{
    public RoleAssignment(int[] classes, string[] classNames, (int Class, int Ordinal)[] slots, string[] slotNames, int[] from, int[] to,
        string how, string source)
    {
        Classes = classes;
        ClassNames = classNames;
        Slots = slots;
        SlotNames = slotNames;
        From = from;
        To = to;
        How = how;
        Source = source;
    }

    /// <summary>Per atom: its class, or -1 (an atom no role needs, or of an element no role is made of).</summary>
    public int[] Classes { get; }

    /// <summary>Per class, for messages: "sym_type = 1", "C".</summary>
    public string[] ClassNames { get; }

    /// <summary>Slot 0 is the center; each slot is the Ordinal-th atom (1-based, by atom id) of its class in a molecule.</summary>
    public (int Class, int Ordinal)[] Slots { get; }

    public string[] SlotNames { get; }

    /// <summary>Per vector, the slots of its start and end.</summary>
    public int[] From { get; }
    public int[] To { get; }

    /// <summary>How the roles were read, for messages ("by element names", "by --roles C=3,O=2,N=4 on column 'type'").</summary>
    public string How { get; }

    /// <summary>Where the roles come from ("preset 'urea'").</summary>
    public string Source { get; }

    /// <summary>Per class, the atoms each molecule must have of it; null when the roles do not say (role columns).</summary>
    public int[]? Required { get; init; }

    /// <summary>With <see cref="Required"/>: atoms of class -1 each molecule must have, and what they are ("H").</summary>
    public int RequiredOthers { get; init; }
    public string OtherSymbols { get; init; } = "";

    /// <summary>
    /// Per class, the element its atoms are ("C"), or null where the roles do not say (a role column of a preset without
    /// element roles).
    /// </summary>
    public string?[] Elements { get; init; } = [];

    /// <summary>False: the center slot is the first of its class (by atom id); true: a molecule may have only one of it.</summary>
    public bool CenterUnique { get; init; }

    public int ClassCount => ClassNames.Length;

    /// <summary>"C 1, O 1, N 1, 5 others (9 atoms)" for per-class counts and a count of other atoms.</summary>
    public string Describe(ReadOnlySpan<int> counts, int others)
    {
        var parts = new List<string>();
        int total = others;
        for (int c = 0; c < counts.Length; c++)
        {
            parts.Add($"{ClassNames[c]} {counts[c]}");
            total += counts[c];
        }
        if (others > 0 || RequiredOthers > 0) parts.Add(OtherSymbols.Length > 0 ? $"{others} other ({OtherSymbols})" : $"{others} other");
        return $"{string.Join(", ", parts)} ({total} atoms)";
    }
}
