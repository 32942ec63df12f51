namespace Recognition.Web.Features.Insights;

/// <summary>
/// Which groups' figures may be shown, so that no figure about fewer than five people can be worked out by adding or
/// subtracting figures the same person can obtain through any combination of filters (complementary suppression).
///
/// The rule: every group any filter combination can show is collected first (<see cref="Candidate"/>). Groups under five
/// are never shown. People are then split into "atoms" by which shown groups they belong to; any sum or difference of
/// shown figures is the same for everyone in an atom, so if every atom holds five or more people, no combination can
/// single out fewer than five. Where an atom is smaller, the cheapest groups that set it apart are hidden too (a team
/// before a shift before a site) until none is. Teams, shifts and sites form one family, the role breakdown another, and
/// tenure bands and gender (fairness) one each; every two families together are checked as a graph (atoms of each family
/// joined by the people they share): a difference across two families isolates exactly the people on a cut of that graph,
/// so every cut must weigh five or more, or the later family's groups of the sites concerned are hidden as well.
/// Combinations of three or more breakdowns at once are not checked beyond this pairwise rule.
/// </summary>
public static class Disclosure
{
    /// <summary>A group a filter can show: its family (0 teams, shifts and sites; 1 roles; 2 tenure; 3 gender), its site (null: all) and the cost of hiding it.</summary>
    public sealed record Candidate(int Family, long? SiteId, int Cost, IReadOnlyCollection<long> Members);

    /// <summary>The member sets (as <see cref="Key"/>) whose figures may be shown.</summary>
    public static HashSet<string> Released(IEnumerable<Candidate> candidates)
    {
        // One decision per member set: two filters that show the same people show the same figure.
        var groups = candidates.Where(c => c.Members.Count >= Suppress.MinGroup)
            .GroupBy(c => Key(c.Members))
            .Select(g => new Set(g.Key, g.First().Family, g.Select(c => c.SiteId).Distinct().ToList(), g.Min(c => c.Cost), g.First().Members.ToHashSet()))
            .ToList();
        var shown = groups.ToHashSet();
        var families = groups.Select(g => g.Family).Distinct().Order().ToList();
        var pairs = families.SelectMany(a => families.Where(b => b > a).Select(b => (A: a, B: b))).ToList();
        while (true)
        {
            foreach (var f in families) SplitAtoms(shown, f);
            var cut = pairs.Select(p => (p.B, Sites: CrossCut(shown, p.A, p.B))).FirstOrDefault(x => x.Sites is not null);
            if (cut.Sites is not { } sites) break;
            // The later family yields: roles before the organisation, tenure before roles, gender before tenure.
            var yielding = shown.Where(s => s.Family == cut.B).ToList();
            var touching = yielding.Where(s => s.Sites.Any(site => site is null || sites.Contains(site.Value))).ToList();
            foreach (var s in touching.Count > 0 ? touching : yielding) shown.Remove(s);
        }
        return shown.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The last decision for each of a few keys (a site, or all), made again only when what it was made of changed: the
    /// caller gives a digest of that. A page that shows figures checks the digest on every load, so a change of membership
    /// shows at once; nothing expires, and there is one entry per key.
    /// </summary>
    public sealed class Memo
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (byte[] Digest, HashSet<string> Shown)> _last = new();

        public HashSet<string> Get(long key, byte[] digest, Func<HashSet<string>> decide)
        {
            if (_last.TryGetValue(key, out var last) && last.Digest.AsSpan().SequenceEqual(digest)) return last.Shown;
            var shown = decide();
            _last[key] = (digest, shown);
            return shown;
        }
    }

    /// <summary>A digest of candidates (family, site, cost and members of each, in order).</summary>
    public static byte[] Digest(IEnumerable<Candidate> candidates)
    {
        using var buffer = new MemoryStream();
        using var w = new BinaryWriter(buffer);
        foreach (var c in candidates)
        {
            w.Write(c.Family);
            w.Write(c.SiteId ?? -1);
            w.Write(c.Cost);
            foreach (var m in c.Members.Order()) w.Write(m);
            w.Write(-1L);
        }
        w.Flush();
        return System.Security.Cryptography.SHA256.HashData(buffer.ToArray());
    }

    /// <summary>The canonical name of a member set.</summary>
    public static string Key(IEnumerable<long> members) => string.Join(',', members.Order());

    private sealed record Set(string Key, int Family, IReadOnlyList<long?> Sites, int Cost, HashSet<long> Members);

    /// <summary>Within one family: hides groups until every atom (people alike in which shown groups hold them) has five or more.</summary>
    private static void SplitAtoms(HashSet<Set> shown, int family)
    {
        while (true)
        {
            var sets = shown.Where(s => s.Family == family).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            var atoms = Atoms(sets);
            var bad = atoms.Where(a => a.Key.Length > 0 && a.Value < Suppress.MinGroup).OrderBy(a => a.Value).ThenBy(a => a.Key, StringComparer.Ordinal).FirstOrDefault();
            if (bad.Key is null) return;
            var mine = Indices(bad.Key);
            // The nearest other atom (possibly "in no shown group"): hide the groups that tell the two apart, cheapest first.
            var best = atoms.Keys.Append("").Distinct().Where(k => k != bad.Key)
                .Select(k => (k, diff: Indices(k).Except(mine).Concat(mine.Except(Indices(k))).ToList()))
                .OrderBy(x => x.diff.Sum(i => sets[i].Cost)).ThenBy(x => atoms.GetValueOrDefault(x.k)).ThenBy(x => x.k, StringComparer.Ordinal)
                .First();
            foreach (var i in best.diff) shown.Remove(sets[i]);
        }
    }

    /// <summary>Each person's signature (the indices of the sets holding them) → how many people share it; "" is in none.</summary>
    private static Dictionary<string, int> Atoms(IReadOnlyList<Set> sets) =>
        Signatures(sets).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static Dictionary<long, string> Signatures(IReadOnlyList<Set> sets)
    {
        var holding = new Dictionary<long, List<int>>();
        for (var i = 0; i < sets.Count; i++)
        {
            foreach (var m in sets[i].Members)
            {
                if (!holding.TryGetValue(m, out var list)) holding[m] = list = [];
                list.Add(i);
            }
        }
        return holding.ToDictionary(h => h.Key, h => string.Join('.', h.Value));
    }

    private static List<int> Indices(string signature) => signature.Length == 0 ? [] : signature.Split('.').Select(int.Parse).ToList();

    /// <summary>
    /// The sites of the people on a cut lighter than five in the graph of both families' atoms, or null when there is none.
    /// Nodes are the atoms of each family (people in no shown group of either family share one node, fixed at zero);
    /// an edge joins the two atoms a person belongs to, weighted by how many people do.
    /// </summary>
    private static HashSet<long>? CrossCut(HashSet<Set> shown, int first, int second)
    {
        var h = shown.Where(s => s.Family == first).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        var r = shown.Where(s => s.Family == second).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        if (r.Count == 0) return null;
        var hs = Signatures(h);
        var rs = Signatures(r);
        var people = hs.Keys.Union(rs.Keys).ToList();
        var nodes = new Dictionary<string, int> { ["ground"] = 0 };
        int Node(string prefix, string sig) => sig.Length == 0 ? 0 : nodes.TryGetValue(prefix + sig, out var n) ? n : nodes[prefix + sig] = nodes.Count;
        var edges = new Dictionary<(int, int), List<long>>();
        foreach (var p in people)
        {
            var (a, b) = (Node("h", hs.GetValueOrDefault(p, "")), Node("r", rs.GetValueOrDefault(p, "")));
            if (a == b) continue;
            var key = a < b ? (a, b) : (b, a);
            if (!edges.TryGetValue(key, out var list)) edges[key] = list = [];
            list.Add(p);
        }
        var n = nodes.Count;
        var w = new long[n, n];
        foreach (var ((a, b), list) in edges) { w[a, b] += list.Count; w[b, a] += list.Count; }
        foreach (var component in Components(w))
        {
            if (component.Count < 2 || MinCut(w, component) is not { Weight: < Suppress.MinGroup } cut) continue;
            var cutPeople = edges.Where(e => cut.Side.Contains(e.Key.Item1) != cut.Side.Contains(e.Key.Item2)).SelectMany(e => e.Value).ToHashSet();
            return shown.Where(s => s.Members.Overlaps(cutPeople)).SelectMany(s => s.Sites).OfType<long>().ToHashSet();
        }
        return null;
    }

    private static List<List<int>> Components(long[,] w)
    {
        var n = w.GetLength(0);
        var seen = new bool[n];
        var result = new List<List<int>>();
        for (var start = 0; start < n; start++)
        {
            if (seen[start]) continue;
            var comp = new List<int>();
            var stack = new Stack<int>([start]);
            seen[start] = true;
            while (stack.TryPop(out var v))
            {
                comp.Add(v);
                for (var u = 0; u < n; u++) if (w[v, u] > 0 && !seen[u]) { seen[u] = true; stack.Push(u); }
            }
            result.Add(comp);
        }
        return result;
    }

    /// <summary>Stoer–Wagner: the lightest cut of a connected set of nodes, and one side of it.</summary>
    private static (long Weight, HashSet<int> Side) MinCut(long[,] weights, List<int> nodes)
    {
        var k = nodes.Count;
        var w = new long[k, k];
        for (var i = 0; i < k; i++) for (var j = 0; j < k; j++) w[i, j] = weights[nodes[i], nodes[j]];
        var merged = Enumerable.Range(0, k).Select(i => new HashSet<int> { nodes[i] }).ToArray();
        var alive = Enumerable.Range(0, k).ToList();
        (long Weight, HashSet<int> Side) best = (long.MaxValue, []);
        while (alive.Count > 1)
        {
            // One phase: add the most tightly connected node each time; the last one's connection is a cut.
            var added = new bool[k];
            var key = new long[k];
            int prev = -1, last = -1;
            for (var step = 0; step < alive.Count; step++)
            {
                var next = -1;
                foreach (var v in alive) if (!added[v] && (next < 0 || key[v] > key[next])) next = v;
                added[next] = true;
                (prev, last) = (last, next);
                foreach (var v in alive) if (!added[v]) key[v] += w[next, v];
            }
            if (key[last] < best.Weight) best = (key[last], [.. merged[last]]);
            merged[prev].UnionWith(merged[last]);
            foreach (var v in alive) { w[prev, v] += w[last, v]; w[v, prev] = w[prev, v]; }
            alive.Remove(last);
        }
        return best;
    }
}
