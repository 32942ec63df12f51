using System.Globalization;
using Recognition.Web.Features.Programs;

namespace Recognition.Web.Features.Admin.Catalogue;

/// <summary>
/// The catalogue file's award programs: the open ones are exported with the site's code, the badge's code, the window
/// as days and the judges' employee numbers; importing creates a program through the same checks as Admin › Award
/// programs, recorded as created by the admin who imports (so not from the command line, which has no person). A program
/// is the same one when its site, Chinese name and opening day match: left as it is when the file says the same,
/// refused when it differs (a program with nominations is changed on its page, not by a file).
/// </summary>
internal static class CatalogueFilePrograms
{
    public static async Task<List<ProgramItem>> ExportAsync(DbConnection c)
    {
        var rows = (await c.QueryAsync<ProgramRow>(ProgramService.ProgramSelect + " WHERE p.status = 'open' ORDER BY p.site_id, p.opens_day, p.id")).ToList();
        var sites = (await c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM sites")).ToDictionary(x => x.Id, x => x.Code);
        var badges = (await c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM badges")).ToDictionary(x => x.Id, x => x.Code);
        var judges = await JudgesAsync(c, null, rows.Select(r => r.Id));
        return rows.Select(r => new ProgramItem(sites[r.SiteId], r.NameZh, r.NameEn, badges[r.BadgeId], r.Criteria, r.Nominators, Day(r.OpensDay), Day(r.ClosesDay),
            r.PrizePoints, r.Budget, judges[r.Id].ToList())).ToList();
    }

    /// <summary>One program of the file, in the import's transaction: the outcome, and whether it was new.</summary>
    public static async Task<(Outcome Outcome, bool IsNew)> ImportAsync(DbConnection c, DbTransaction t, ProgramService programs, ProgramItem p, AdminScope scope, DateTime now)
    {
        var site = await c.ExecuteScalarAsync<long?>("SELECT id FROM sites WHERE code = @Site", p, t);
        if (site is null) return (Outcome.Refused("Catalogue.UnknownReference", p.Site), false);
        var badge = await c.ExecuteScalarAsync<long?>("SELECT id FROM badges WHERE code = @Badge", p, t);
        if (badge is null) return (Outcome.Refused("Catalogue.UnknownReference", p.Badge), false);
        var (zh, en) = (TextRules.Clean(p.NameZh), TextRules.Clean(p.NameEn));
        (zh, en) = (zh.Length > 0 ? zh : en, en.Length > 0 ? en : zh);
        var existing = ProgramService.ParseDay(p.Opens) is { } opens
            ? await c.QueryFirstOrDefaultAsync<ProgramRow>(ProgramService.ProgramSelect + " WHERE p.site_id = @site AND p.name_zh = @zh AND p.opens_day = @opens AND p.status <> 'cancelled'",
                new { site, zh, opens }, t)
            : null;
        if (existing is null)
        {
            var form = new ProgramForm(p.NameZh, p.NameEn, badge.Value, p.Criteria, p.Nominators, p.Opens, p.Closes, p.PrizePoints, p.Budget, string.Join(',', p.Judges));
            return (await programs.CreateAsync(site.Value, form, scope, now, new Tx(c, t)), true);
        }
        if (!scope.Covers(site.Value)) return (Outcome.Refused("People.SiteNotYours"), false);
        var judges = (await JudgesAsync(c, t, [existing.Id]))[existing.Id].ToList();
        var same = existing.NameEn == en && existing.BadgeId == badge.Value && existing.Criteria == MessageRules.Clean(p.Criteria) && existing.Nominators == p.Nominators
            && Day(existing.ClosesDay) == p.Closes.Trim() && existing.PrizePoints == p.PrizePoints && existing.Budget == p.Budget
            && judges.SequenceEqual(p.Judges.Select(j => j.Trim().ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal));
        return same ? (Outcome.Repeated(existing.Id), false) : (Outcome.Refused("Catalogue.ProgramDiffers"), false);
    }

    /// <summary>Each program's judges' employee numbers, upper-case and in order.</summary>
    private static async Task<ILookup<long, string>> JudgesAsync(DbConnection c, DbTransaction? t, IEnumerable<long> programIds) =>
        (await c.QueryAsync<(long ProgramId, string No)>(
            "SELECT j.program_id, e.employee_no FROM program_judges j JOIN employees e ON e.id = j.employee_id WHERE j.program_id IN @ids",
            new { ids = programIds.ToArray() }, t))
        .Select(x => (x.ProgramId, No: x.No.ToUpperInvariant())).OrderBy(x => x.No, StringComparer.Ordinal).ToLookup(x => x.ProgramId, x => x.No);

    private static string Day(int day) => SiteTime.FromDay(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
