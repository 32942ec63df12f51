using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recognition.Web.Features.Admin.Catalogue;

// The file's shape. Codes tie badges to values and thresholds to badges and rules, so a catalogue copies between
// databases whose ids differ; a rule with a systemKey is matched by it (HR may have renamed its code).
public sealed record CatalogueDocument(string Format, List<ValueItem> Values, List<BadgeItem> Badges, List<RuleItem> Rules, List<AchievementItem> Achievements,
    List<ProgramItem>? Programs = null);
public sealed record ValueItem(string Code, string NameZh, string NameEn, string BehavioursZh, string BehavioursEn, string Color, int Order, bool Active);
public sealed record BadgeItem(string Code, string Kind, string? Value, string Icon, string Color, string NameZh, string NameEn, string DescriptionZh, string DescriptionEn,
    List<string> PhrasesZh, List<string> PhrasesEn, bool Active);
public sealed record RuleItem(string Code, string? SystemKey, string Category, string NameZh, string NameEn, int Points, bool RequiresApproval,
    int? CapPerDay, int? CapPerWeek, int? CapPerMonth, bool Claimable, bool Kiosk, bool Active);
public sealed record AchievementItem(string Badge, string Rule, int Threshold, int WindowDays, int BonusPoints, bool Active);
// An open award program of a site (by the site's code), its window as yyyy-mm-dd days and its judges' employee numbers.
public sealed record ProgramItem(string Site, string NameZh, string NameEn, string Badge, string Criteria, string Nominators, string Opens, string Closes,
    int PrizePoints, int Budget, List<string> Judges);

public sealed record CatalogueImportResult(int Created, int Changed, int Unchanged, IReadOnlyList<string> Errors, bool Applied)
{
    public object Summary => new { created = Created, changed = Changed, unchanged = Unchanged, errors = Errors.Count, applied = Applied };
}

/// <summary>
/// The catalogue as a JSON file: export everything; import (or dry-run) upserts by code in one transaction, through the
/// same validation as the admin page. Unknown fields, broken references and invalid items are errors, and then
/// nothing is written; importing the same file twice changes nothing.
/// </summary>
public sealed class CatalogueFile(Db db, CatalogueAdmin admin, Programs.ProgramService programs)
{
    public const string Format = "recognition-catalogue/1";
    public const int MaxBytes = 5 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<byte[]> ExportAsync()
    {
        await using var c = await db.OpenAsync();
        var (values, badges, rules, achievements) = await CatalogueRows.LoadAsync(c);
        static List<string> Lines(string? s) => (s ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var doc = new CatalogueDocument(Format,
            values.Select(v => new ValueItem(v.Code, v.NameZh, v.NameEn, v.BehavioursZh, v.BehavioursEn, v.Color, v.SortOrder, v.Active)).ToList(),
            badges.Select(b => new BadgeItem(b.Code, b.Kind, values.FirstOrDefault(v => v.Id == b.ValueId)?.Code, b.Icon, b.Color, b.NameZh, b.NameEn,
                b.DescriptionZh, b.DescriptionEn, Lines(b.PhrasesZh), Lines(b.PhrasesEn), b.Active)).ToList(),
            rules.Select(r => new RuleItem(r.Code, r.SystemKey, r.Category, r.NameZh, r.NameEn, r.Points, r.RequiresApproval, r.CapPerDay, r.CapPerWeek, r.CapPerMonth,
                r.Claimable, r.Kiosk, r.Active)).ToList(),
            achievements.Select(a => new AchievementItem(badges.First(b => b.Id == a.BadgeId).Code, rules.First(r => r.Id == a.RuleId).Code,
                a.Threshold, a.WindowDays, a.BonusPoints, a.Active)).ToList(),
            await CatalogueFilePrograms.ExportAsync(c));
        return JsonSerializer.SerializeToUtf8Bytes(doc, Json);
    }

    public async Task<CatalogueImportResult> ImportAsync(byte[] file, bool dryRun, AdminScope scope, DateTime now)
    {
        if (file.Length > MaxBytes) return Failed($"Catalogue.FileTooBig|{MaxBytes / 1024 / 1024}");
        CatalogueDocument? doc;
        try { doc = JsonSerializer.Deserialize<CatalogueDocument>(file, Json); }
        catch (JsonException ex) { return Failed($"Catalogue.BadJson|{ex.Path} {ex.Message.Split('.')[0]}"); }
        if (doc is null || doc.Format != Format) return Failed($"Catalogue.BadFormat|{Format}");
        var errors = new List<string>();
        int created = 0, changed = 0, unchanged = 0;
        try
        {
            await db.WriteAsync(async (c, t) =>
            {
                var tx = new Tx(c, t);
                async Task Save(string where, Task<Outcome> work, bool isNew)
                {
                    var o = await work;
                    if (!o.Ok) errors.Add($"{where}|{o.Error}|{string.Join('|', o.Args)}");
                    else if (o.Duplicate) unchanged++;
                    else if (isNew) created++;
                    else changed++;
                }
                async Task<long?> Id(string sql, object args) => await c.ExecuteScalarAsync<long?>(sql, args, t);
                foreach (var (v, i) in doc.Values.Select((v, i) => (v, i)))
                {
                    var id = await Id("SELECT id FROM core_values WHERE code = @Code", v);
                    await Save($"values[{i}] {v.Code}", admin.SaveValueAsync(new ValueForm(id, v.Code, v.NameZh, v.NameEn, v.BehavioursZh, v.BehavioursEn, v.Color, v.Order, v.Active), scope, now, tx), id is null);
                }
                foreach (var (b, i) in doc.Badges.Select((b, i) => (b, i)))
                {
                    var id = await Id("SELECT id FROM badges WHERE code = @Code", b);
                    var valueId = b.Value is null ? null : await Id("SELECT id FROM core_values WHERE code = @Value", b);
                    if (b.Value is not null && valueId is null) { errors.Add($"badges[{i}] {b.Code}|Catalogue.UnknownReference|{b.Value}"); continue; }
                    await Save($"badges[{i}] {b.Code}", admin.SaveBadgeAsync(new BadgeForm(id, b.Code, b.Kind, valueId, b.Icon, b.Color, b.NameZh, b.NameEn, b.DescriptionZh, b.DescriptionEn,
                        string.Join('\n', b.PhrasesZh), string.Join('\n', b.PhrasesEn), b.Active), scope, now, tx), id is null);
                }
                foreach (var (r, i) in doc.Rules.Select((r, i) => (r, i)))
                {
                    var id = r.SystemKey is not null ? await Id("SELECT id FROM behaviour_rules WHERE system_key = @SystemKey", r) : await Id("SELECT id FROM behaviour_rules WHERE code = @Code", r);
                    // A system rule missing here (an empty test system) is created with its key; one present is matched by it.
                    await Save($"rules[{i}] {r.Code}", admin.SaveRuleAsync(new RuleForm(id, r.Code, r.Category, r.NameZh, r.NameEn, r.Points, r.RequiresApproval,
                        r.CapPerDay, r.CapPerWeek, r.CapPerMonth, r.Claimable, r.Kiosk, r.Active, id is null ? r.SystemKey : null), scope, now, tx), id is null);
                }
                foreach (var (a, i) in doc.Achievements.Select((a, i) => (a, i)))
                {
                    var badge = await Id("SELECT id FROM badges WHERE code = @Badge", a);
                    var rule = await Id("SELECT id FROM behaviour_rules WHERE code = @Rule", a);
                    if (badge is null || rule is null) { errors.Add($"achievements[{i}]|Catalogue.UnknownReference|{(badge is null ? a.Badge : a.Rule)}"); continue; }
                    var id = await Id("SELECT id FROM achievement_rules WHERE badge_id = @badge AND rule_id = @rule", new { badge, rule });
                    await Save($"achievements[{i}] {a.Badge}", admin.SaveAchievementAsync(new AchievementForm(id, badge.Value, rule.Value, a.Threshold, a.WindowDays, a.BonusPoints, a.Active), scope, now, tx), id is null);
                }
                foreach (var (p, i) in (doc.Programs ?? []).Select((p, i) => (p, i)))
                {
                    var (outcome, isNew) = await CatalogueFilePrograms.ImportAsync(c, t, programs, p, scope, now);
                    await Save($"programs[{i}] {p.NameZh}", Task.FromResult(outcome), isNew);
                }
                // Nothing is kept from a file with any bad item, nor from a dry run: the transaction rolls back.
                if (errors.Count > 0 || dryRun) throw new RollBack();
            });
        }
        catch (RollBack)
        {
            return new CatalogueImportResult(created, changed, unchanged, errors, Applied: false);
        }
        return new CatalogueImportResult(created, changed, unchanged, errors, Applied: true);
    }

    /// <summary>An error as a person reads it: "where: reason" for an item, the reason alone for the file.</summary>
    public static string Describe(string error, Microsoft.Extensions.Localization.IStringLocalizer L)
    {
        var parts = error.Split('|');
        return parts[0].StartsWith("Catalogue.", StringComparison.Ordinal)
            ? L[parts[0], parts[1..]]
            : $"{parts[0]}: {L[parts[1], parts[2..]]}";
    }

    private static CatalogueImportResult Failed(string error) => new(0, 0, 0, [error], false);

    private sealed class RollBack : Exception;
}
