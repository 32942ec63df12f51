using System.Globalization;

namespace Recognition.Web.Features.Insights;

/// <summary>
/// A group's value per recognition over the last 90 days: recognitions its people received, points per recognition (in
/// tenths) and the share of recognitions that carried points. All hidden together when the group may not be shown.
/// </summary>
public sealed record FairnessFigures(int People, Figure Received, Figure PointsPer10, Figure WithPointsPct)
{
    public string PointsPerRecognition => PointsPer10.Value is { } v ? (v / 10.0).ToString("0.0", CultureInfo.InvariantCulture) : "<5";
}

/// <summary>One group of a breakdown (shift, role, tenure band, gender) beside its site; <see cref="Flagged"/> when it differs by more than the margin.</summary>
public sealed record FairnessRow(string DimKey, string GroupKey, FairnessFigures Figures, bool Flagged)
{
    /// <summary>What the clue queue stores, read back by <see cref="FairnessText"/> in the reader's language.</summary>
    public string Detail(FairnessFigures site) =>
        string.Join('|', DimKey, GroupKey, Figures.PointsPerRecognition, site.PointsPerRecognition, Figures.WithPointsPct, site.WithPointsPct);
}

public sealed partial class InsightsQueries
{
    /// <summary>A group needs this many recognitions in 90 days before its difference from the site means anything.</summary>
    public const int FairnessMinRecognitions = 20;

    /// <summary>Insights:FairnessMarginPercent (20): relative for points per recognition, percentage points for the share with points.</summary>
    public static int FairnessMargin(IConfiguration config) => Math.Clamp(config.GetValue("Insights:FairnessMarginPercent", 20), 1, 100);

    /// <summary>
    /// Fairness of value at one site: points per recognition and the share of recognitions with points, by shift, role,
    /// tenure band and gender, beside the site's own. The same disclosure decision as every other insights table.
    /// </summary>
    public async Task<(FairnessFigures Site, IReadOnlyList<FairnessRow> Rows)> FairnessAsync(long siteId, int marginPercent, Disclosed? d = null)
    {
        var (u, shown) = d ?? await DisclosedAsync();
        var groups = Groups(u, new Scope(siteId, null), roles: true, fairness: true).ToList();
        var site = Figures(groups.FirstOrDefault(g => g.Dim == SiteDim).Members ?? [], shown);
        var rows = groups.Where(g => g.Dim is ShiftDim or RoleDim or TenureDim or GenderDim)
            .Select(g =>
            {
                var f = Figures(g.Members, shown);
                return new FairnessRow(g.Dim, g.Name, f, Differs(f, site, marginPercent));
            }).ToList();
        return (site, rows);
    }

    private static FairnessFigures Figures(IReadOnlyCollection<PersonRow> people, HashSet<string> shown)
    {
        var received = people.Sum(p => p.Received90);
        var ok = people.Count >= Suppress.MinGroup && shown.Contains(Disclosure.Key(people.Select(p => p.Id)));
        Figure F(int v) => new(ok ? v : null);
        return new FairnessFigures(people.Count, F(received),
            F(received == 0 ? 0 : (int)Math.Round(10.0 * people.Sum(p => (long)p.Points90) / received)),
            F(received == 0 ? 0 : (int)Math.Round(100.0 * people.Sum(p => p.WithPoints90) / received)));
    }

    private static bool Differs(FairnessFigures g, FairnessFigures site, int margin) =>
        g.Received.Value >= FairnessMinRecognitions && site.PointsPer10.Value is { } sp && g.PointsPer10.Value is { } gp && sp > 0
        && (Math.Abs(gp - sp) * 100 > margin * sp || Math.Abs(g.WithPointsPct.Value!.Value - site.WithPointsPct.Value!.Value) > margin);

    /// <summary>The clue queue's text for a stored fairness detail, with the dimension and group in the reader's language.</summary>
    public static string FairnessText(string detail, Func<string, string> label)
    {
        var p = detail.Split('|');
        if (p.Length != 6) return detail;
        return $"{label(p[0])} · {GroupLabel(p[1], label)}: {p[2]} / {p[3]}; {p[4]}% / {p[5]}%";
    }

    /// <summary>A group's name: a resource key for roles, tenure bands and genders, a shift's own name otherwise.</summary>
    public static string GroupLabel(string key, Func<string, string> label) =>
        key.StartsWith("Insights.", StringComparison.Ordinal) || key.StartsWith("Role.", StringComparison.Ordinal) ? label(key) : key;
}
