namespace StreamMonitor.Grains;

/// <summary>Paging through lists kept in order (run ids, sequence numbers) from a cursor, by binary search rather than a scan.</summary>
internal static class SortedLists
{
    /// <summary>
    /// The index of the first item of <paramref name="sorted"/> that comes after the cursor, given
    /// <paramref name="atOrBefore"/>, which is true for the items up to and including it (a prefix of the list).
    /// </summary>
    public static int FirstAfter<T>(IList<T> sorted, Func<T, bool> atOrBefore)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (atOrBefore(sorted[mid])) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
