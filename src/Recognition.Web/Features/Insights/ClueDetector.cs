using System.Globalization;

namespace Recognition.Web.Features.Insights;

/// <summary>
/// Anti-gaming clues over the last 90 days of recognitions: reciprocal pairs, closed rings of 3–5 people giving mostly to
/// each other, bursts against a person's own baseline, near-duplicate messages sent to many, and givers whose messages
/// are mostly very short. Each finding carries the recognitions behind it and waits for an admin; nothing is automatic.
/// </summary>
public sealed class ClueDetector
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);
    public const int PairMin = 4;            // each way, within the window
    public const double PairShare = 0.5;     // of each one's giving
    public const double RingEdgeShare = 0.25; // a "mostly gives to" edge
    public const double RingShare = 0.6;     // of each member's giving stays in the ring
    public const int BurstMin = 5;           // received in the last 7 days
    public const double BurstFactor = 3;     // times the weekly average of the 8 weeks before
    public const int DuplicateRecipients = 5;
    public const int TemplateMin = 5;
    public const double TemplateShare = 0.8;

    public const int AddOnPairMin = 3;        // add-ons each way, within the window
    public const int ReactionEdgeMin = 5;     // recognitions of one person another reacted to
    public const double ReactionRingShare = 0.6; // of each member's reactions stay in the ring

    /// <summary>Kinds that are about the social loop: evidence for a conversation; revoking the recognitions is not the answer.</summary>
    public static readonly string[] SocialKinds = ["reciprocal_addon", "reaction_ring", "team_health", "fairness"];

    /// <summary>Claims (hazard reports among them) a team's week must reach before its rise means anything.</summary>
    public const int TeamHealthMinClaims = 3;

    /// <summary>
    /// "High pressure, low recognition": a team whose claims rose week on week for the three weeks while the recognition its
    /// people received fell week on week. People on the clue are the team's leaders (who see it on their team page); the
    /// detail is the team and the two series. A clue for a conversation, never a penalty.
    /// </summary>
    public static IEnumerable<Clue> DetectTeamHealth(IReadOnlyList<int> weeks, IReadOnlyDictionary<long, (string Name, int[] Claims, int[] Received, long[] Leaders)> teams) =>
        teams.Where(t => t.Value.Claims.Length == 3 && t.Value.Received.Length == 3
                && t.Value.Claims[0] < t.Value.Claims[1] && t.Value.Claims[1] < t.Value.Claims[2] && t.Value.Claims[2] >= TeamHealthMinClaims
                && t.Value.Received[0] > t.Value.Received[1] && t.Value.Received[1] > t.Value.Received[2])
            .Select(t => new Clue("team_health", $"team_health:{t.Key}:{weeks[2]}", t.Value.Leaders, [],
                $"{t.Value.Name}: {string.Join(" → ", t.Value.Claims)} / {string.Join(" → ", t.Value.Received)}"));

    public sealed record Item(long RecognitionId, long GiverId, long RecipientId, DateTime CreatedUtc, string Message);

    /// <summary>An add-on or a reaction by <see cref="FromId"/> to a recognition <see cref="ToId"/> received (one per recipient).</summary>
    public sealed class Act
    {
        public string Kind { get; init; } = "";
        public long FromId { get; init; }
        public long ToId { get; init; }
        public long RecognitionId { get; init; }
    }

    /// <summary>
    /// The social loop's clues: two people who add points to each other's recognitions again and again (most of what
    /// each adds), and a few people (2–5) whose reactions go mostly to each other. Reactions give no points, but a ring of
    /// them makes a card look more supported than it is.
    /// </summary>
    public IReadOnlyList<Clue> DetectSocial(IReadOnlyList<Act> acts)
    {
        var clues = new List<Clue>();
        var addOns = acts.Where(a => a.Kind == "addon" && a.FromId != a.ToId).ToList();
        var added = addOns.GroupBy(a => a.FromId).ToDictionary(g => g.Key, g => g.Select(a => a.RecognitionId).Distinct().Count());
        var addPairs = addOns.GroupBy(a => (a.FromId, a.ToId)).ToDictionary(g => g.Key, g => g.Select(a => a.RecognitionId).Distinct().ToList());
        foreach (var ((a, b), ab) in addPairs)
        {
            if (a >= b || !addPairs.TryGetValue((b, a), out var ba)) continue;
            if (ab.Count < AddOnPairMin || ba.Count < AddOnPairMin || ab.Count < PairShare * added[a] || ba.Count < PairShare * added[b]) continue;
            clues.Add(new Clue("reciprocal_addon", $"reciprocal_addon:{a}-{b}", [a, b], [.. ab.Concat(ba).Distinct().Order()], $"{ab.Count}/{ba.Count}"));
        }

        var reactions = acts.Where(a => a.Kind == "reaction" && a.FromId != a.ToId).ToList();
        var reacted = reactions.GroupBy(a => a.FromId).ToDictionary(g => g.Key, g => g.Select(a => a.RecognitionId).Distinct().Count());
        var reactPairs = reactions.GroupBy(a => (a.FromId, a.ToId)).ToDictionary(g => g.Key, g => g.Select(a => a.RecognitionId).Distinct().Count());
        var edges = reactPairs.Where(p => p.Value >= ReactionEdgeMin && p.Value >= RingEdgeShare * reacted[p.Key.FromId])
            .GroupBy(p => p.Key.FromId).ToDictionary(g => g.Key, g => g.Select(p => p.Key.ToId).ToList());
        foreach (var members in Cycles(edges, 2))
        {
            var inside = members.All(m => reactions.Where(r => r.FromId == m && members.Contains(r.ToId)).Select(r => r.RecognitionId).Distinct().Count()
                >= ReactionRingShare * reacted[m]);
            if (!inside) continue;
            var evidence = reactions.Where(r => members.Contains(r.FromId) && members.Contains(r.ToId)).Select(r => r.RecognitionId).Distinct().Order().ToArray();
            clues.Add(new Clue("reaction_ring", $"reaction_ring:{string.Join('-', members)}", members, evidence, members.Length.ToString(CultureInfo.InvariantCulture)));
        }
        return clues;
    }

    /// <summary>The cycles of <paramref name="minSize"/>–5 people along the edges, each once (members in order).</summary>
    public static IEnumerable<long[]> Cycles(IReadOnlyDictionary<long, List<long>> edges, int minSize)
    {
        var found = new HashSet<string>();
        var result = new List<long[]>();
        foreach (var start in edges.Keys.Order())
        {
            var path = new List<long> { start };
            void Walk(long at)
            {
                if (!edges.TryGetValue(at, out var next)) return;
                foreach (var n in next)
                {
                    if (n == start && path.Count >= minSize)
                    {
                        var members = path.Order().ToArray();
                        if (found.Add(string.Join('-', members))) result.Add(members);
                        continue;
                    }
                    // Each cycle is found once, from its smallest member.
                    if (n <= start || path.Contains(n) || path.Count >= 5) continue;
                    path.Add(n);
                    Walk(n);
                    path.RemoveAt(path.Count - 1);
                }
            }
            Walk(start);
        }
        return result;
    }

    public sealed record Clue(string Kind, string Key, long[] People, long[] Evidence, string Detail);

    /// <param name="phrases">The badges' suggested kiosk phrases, normalized: choosing one for several people is using the product, not gaming it.</param>
    public IReadOnlyList<Clue> Detect(IReadOnlyList<Item> items, DateTime now, IReadOnlySet<string>? phrases = null)
    {
        var clues = new List<Clue>();
        var given = items.GroupBy(i => i.GiverId).ToDictionary(g => g.Key, g => g.Select(i => i.RecognitionId).Distinct().Count());
        var pairs = items.GroupBy(i => (i.GiverId, i.RecipientId)).ToDictionary(g => g.Key, g => g.ToList());

        // Reciprocal pairs: A and B give each other at least PairMin each, and that is most of what either gives.
        foreach (var ((a, b), ab) in pairs)
        {
            if (a >= b || !pairs.TryGetValue((b, a), out var ba)) continue;
            if (ab.Count < PairMin || ba.Count < PairMin) continue;
            if (ab.Count < PairShare * given[a] || ba.Count < PairShare * given[b]) continue;
            clues.Add(new Clue("reciprocal", $"reciprocal:{a}-{b}", [a, b], [.. ab.Concat(ba).Select(i => i.RecognitionId).Distinct().Order()],
                $"{ab.Count}/{ba.Count}"));
        }

        // Rings: cycles of 3–5 along "mostly gives to" edges, where each member keeps most of their giving inside the ring.
        var edges = pairs.Where(p => p.Value.Count >= 2 && p.Value.Count >= RingEdgeShare * given[p.Key.GiverId])
            .GroupBy(p => p.Key.GiverId).ToDictionary(g => g.Key, g => g.Select(p => p.Key.RecipientId).ToList());
        foreach (var members in Cycles(edges, 3))
        {
            var inside = members.All(m => items.Count(i => i.GiverId == m && members.Contains(i.RecipientId)) >= RingShare * items.Count(i => i.GiverId == m));
            if (!inside) continue;
            var evidence = items.Where(i => members.Contains(i.GiverId) && members.Contains(i.RecipientId)).Select(i => i.RecognitionId).Distinct().Order().ToArray();
            clues.Add(new Clue("ring", $"ring:{string.Join('-', members)}", members, evidence, members.Length.ToString(CultureInfo.InvariantCulture)));
        }

        // Bursts: a person's last 7 days against their own weekly average over the 8 weeks before.
        foreach (var g in items.GroupBy(i => i.RecipientId))
        {
            var last = g.Where(i => now - i.CreatedUtc <= TimeSpan.FromDays(7)).ToList();
            if (last.Count < BurstMin) continue;
            var baseline = g.Count(i => now - i.CreatedUtc > TimeSpan.FromDays(7) && now - i.CreatedUtc <= TimeSpan.FromDays(63)) / 8.0;
            if (last.Count < BurstFactor * Math.Max(baseline, 1)) continue;
            var week = Recognition.Web.Domain.SiteTime.Week(now);
            clues.Add(new Clue("burst", $"burst:{g.Key}:{week}", [g.Key], [.. last.Select(i => i.RecognitionId).Distinct().Order()],
                $"{last.Count} / {baseline.ToString("0.#", CultureInfo.InvariantCulture)}"));
        }

        foreach (var g in items.GroupBy(i => i.GiverId))
        {
            // Near-duplicate messages: the same words (ignoring case, spaces, punctuation, digits and names' order) to many people.
            foreach (var same in g.GroupBy(i => Normalize(i.Message)).Where(s => s.Key.Length > 0 && phrases?.Contains(s.Key) != true))
            {
                var recipients = same.Select(i => i.RecipientId).Distinct().Count();
                if (recipients < DuplicateRecipients) continue;
                clues.Add(new Clue("duplicate", $"duplicate:{g.Key}:{Hash(same.Key)}", [g.Key], [.. same.Select(i => i.RecognitionId).Distinct().Order()],
                    recipients.ToString(CultureInfo.InvariantCulture)));
            }
            // Very short messages: most of what a person gives says almost nothing.
            var theirs = g.DistinctBy(i => i.RecognitionId).ToList();
            if (theirs.Count < TemplateMin) continue;
            var shortOnes = theirs.Where(i => MessageRules.WeightedLength(i.Message, RulesOptions.Product.CjkWeight) <= RulesOptions.Product.MessageMinLength + 4).ToList();
            if (shortOnes.Count < TemplateShare * theirs.Count) continue;
            clues.Add(new Clue("template", $"template:{g.Key}", [g.Key], [.. shortOnes.Select(i => i.RecognitionId).Order()], $"{shortOnes.Count}/{theirs.Count}"));
        }
        return clues;
    }

    /// <summary>A finding as stored: its status and what it showed.</summary>
    public sealed record Stored(string Status, string Evidence, string? Detail);

    /// <summary>
    /// The stored findings by key, read before the write so that the write holds SQLite's writer briefly. Keys are unique
    /// across sites (they name people, and a person who moved site keeps their id), so all are read: a finding already
    /// stored is never inserted twice.
    /// </summary>
    public static async Task<Dictionary<string, Stored>> StoredAsync(DbConnection c) =>
        (await c.QueryAsync<(string Key, string Status, string Evidence, string? Detail)>("SELECT clue_key, status, evidence, detail FROM insight_clues"))
        .ToDictionary(r => r.Key, r => new Stored(r.Status, r.Evidence, r.Detail));

    /// <summary>
    /// Adds new findings, refreshes the evidence of open ones whose evidence changed, and leaves decided ones as they were
    /// decided (a decision made since <paramref name="stored"/> was read still wins: only an open finding is updated).
    /// </summary>
    public static async Task<int> SaveAsync(DbConnection c, DbTransaction t, long siteId, IReadOnlyList<Clue> clues, DateTime now,
        IReadOnlyDictionary<string, Stored> stored)
    {
        var written = 0;
        foreach (var clue in clues)
        {
            var args = new
            {
                siteId, kind = clue.Kind, key = clue.Key, people = string.Join(',', clue.People), evidence = string.Join(',', clue.Evidence.Take(200)), detail = clue.Detail, now,
            };
            if (stored.TryGetValue(clue.Key, out var was))
            {
                if (was.Status != "open" || (was.Evidence == args.evidence && was.Detail == args.detail)) continue;
                written += await c.ExecuteAsync("UPDATE insight_clues SET evidence = @evidence, detail = @detail WHERE clue_key = @key AND status = 'open'", args, t);
                continue;
            }
            written += await c.ExecuteAsync(
                "INSERT INTO insight_clues (site_id, kind, clue_key, people, evidence, detail, status, found_utc) VALUES (@siteId, @kind, @key, @people, @evidence, @detail, 'open', @now)",
                args, t);
        }
        return written;
    }

    public static string Normalize(string message) =>
        new(message.Where(ch => char.IsLetter(ch)).Select(char.ToLowerInvariant).ToArray());

    private static string Hash(string s) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)))[..16];
}
