using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Catalogue;

public sealed class ValueRow { public long Id { get; init; } public string Code { get; init; } = ""; public string NameZh { get; init; } = ""; public string NameEn { get; init; } = ""; public string BehavioursZh { get; init; } = ""; public string BehavioursEn { get; init; } = ""; public string Color { get; init; } = "#1f5fa8"; public int SortOrder { get; init; } public bool Active { get; init; } = true; }
public sealed class BadgeRow { public long Id { get; init; } public string Code { get; init; } = ""; public string Kind { get; init; } = "peer"; public long? ValueId { get; init; } public string Icon { get; init; } = "★"; public string Color { get; init; } = "#b3261e"; public string NameZh { get; init; } = ""; public string NameEn { get; init; } = ""; public string DescriptionZh { get; init; } = ""; public string DescriptionEn { get; init; } = ""; public string? PhrasesZh { get; init; } public string? PhrasesEn { get; init; } public bool Active { get; init; } = true; }
public sealed record RuleRow { public long Id { get; init; } public string Code { get; init; } = ""; public string? SystemKey { get; init; } public string Category { get; init; } = "other"; public string NameZh { get; init; } = ""; public string NameEn { get; init; } = ""; public int Points { get; init; } public bool RequiresApproval { get; init; } = true; public int? CapPerDay { get; init; } public int? CapPerWeek { get; init; } public int? CapPerMonth { get; init; } public bool Claimable { get; init; } = true; public bool Kiosk { get; init; } public bool Active { get; init; } = true; }

public sealed class AchievementRow { public long Id { get; init; } public long BadgeId { get; init; } public long RuleId { get; init; } public int Threshold { get; init; } = 5; public int WindowDays { get; init; } = 90; public int BonusPoints { get; init; } public bool Active { get; init; } = true; }

/// <summary>The whole catalogue, as the page and the export read it.</summary>
public static class CatalogueRows
{
    public static async Task<(List<ValueRow> Values, List<BadgeRow> Badges, List<RuleRow> Rules, List<AchievementRow> Achievements)> LoadAsync(System.Data.Common.DbConnection c)
    {
        var values = (await c.QueryAsync<ValueRow>(
            "SELECT id AS Id, code AS Code, name_zh AS NameZh, name_en AS NameEn, behaviours_zh AS BehavioursZh, behaviours_en AS BehavioursEn, color AS Color, sort_order AS SortOrder, active AS Active FROM core_values ORDER BY active DESC, sort_order, id")).ToList();
        var badges = (await c.QueryAsync<BadgeRow>(
            @"SELECT id AS Id, code AS Code, kind AS Kind, value_id AS ValueId, icon AS Icon, color AS Color, name_zh AS NameZh, name_en AS NameEn,
                     description_zh AS DescriptionZh, description_en AS DescriptionEn, phrases_zh AS PhrasesZh, phrases_en AS PhrasesEn, active AS Active
              FROM badges ORDER BY active DESC, id")).ToList();
        var rules = (await c.QueryAsync<RuleRow>(
            @"SELECT id AS Id, code AS Code, system_key AS SystemKey, category AS Category, name_zh AS NameZh, name_en AS NameEn, points AS Points,
                     requires_approval AS RequiresApproval, cap_per_day AS CapPerDay, cap_per_week AS CapPerWeek, cap_per_month AS CapPerMonth,
                     claimable AS Claimable, kiosk AS Kiosk, active AS Active FROM behaviour_rules ORDER BY active DESC, id")).ToList();
        var achievements = (await c.QueryAsync<AchievementRow>(
            "SELECT id AS Id, badge_id AS BadgeId, rule_id AS RuleId, threshold AS Threshold, window_days AS WindowDays, bonus_points AS BonusPoints, active AS Active FROM achievement_rules ORDER BY id")).ToList();
        return (values, badges, rules, achievements);
    }
}

/// <summary>/Admin/Catalogue: values, badges and behaviour rules. Everyone admin may read it; organisation admins change it.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(CatalogueAdmin catalogue, CatalogueFile file, RulePreview preview, Db db, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    public IReadOnlyList<ValueRow> Values { get; private set; } = [];
    public IReadOnlyList<BadgeRow> Badges { get; private set; } = [];
    public IReadOnlyList<RuleRow> Rules { get; private set; } = [];
    public IReadOnlyList<AchievementRow> Achievements { get; private set; } = [];
    public string? Message { get; private set; }
    public CatalogueImportResult? Imported { get; private set; }
    public RulePreviewResult? Preview { get; private set; }
    public long? PreviewRuleId { get; private set; }
    public IReadOnlyList<string> ImportErrors { get; private set; } = [];

    public async Task OnGetAsync(bool saved = false)
    {
        if (saved) Message = L["People.Saved"];
        await LoadAsync();
    }

    /// <summary>A refused form, as typed: the page shows it again in place of its row (or as the new one), open, with the error.</summary>
    public ValueRow? RefusedValue { get; private set; }
    public BadgeRow? RefusedBadge { get; private set; }
    public RuleRow? RefusedRule { get; private set; }
    public AchievementRow? RefusedAchievement { get; private set; }

    public IEnumerable<ValueRow> ValueForms => Values.Select(v => RefusedValue is { Id: > 0 } r && r.Id == v.Id ? r : v).Append(RefusedValue is { Id: 0 } n ? n : new ValueRow());
    public IEnumerable<BadgeRow> BadgeForms => Badges.Select(b => RefusedBadge is { Id: > 0 } r && r.Id == b.Id ? r : b).Append(RefusedBadge is { Id: 0 } n ? n : new BadgeRow());
    public IEnumerable<RuleRow> RuleForms => Rules.Select(x => RefusedRule is { Id: > 0 } r && r.Id == x.Id ? r with { SystemKey = x.SystemKey } : x).Append(RefusedRule is { Id: 0 } n ? n : new RuleRow());
    public IEnumerable<AchievementRow> AchievementForms => Achievements.Select(a => RefusedAchievement is { Id: > 0 } r && r.Id == a.Id ? r : a).Append(RefusedAchievement is { Id: 0 } n ? n : new AchievementRow());

    /// <summary>Whether this form is the one the server just refused (shown open, with its error inside).</summary>
    public bool RefusedHere(object? refused, long id) => Error is not null && refused switch
    {
        ValueRow v => v.Id == id,
        BadgeRow b => b.Id == id,
        RuleRow r => r.Id == id,
        AchievementRow a => a.Id == id,
        _ => false,
    };

    public Task<IActionResult> OnPostValueAsync(long? id, string? code, string? nameZh, string? nameEn, string? behavioursZh, string? behavioursEn, string? color, int sortOrder, bool active)
    {
        RefusedValue = new ValueRow { Id = id ?? 0, Code = code ?? "", NameZh = nameZh ?? "", NameEn = nameEn ?? "", BehavioursZh = behavioursZh ?? "", BehavioursEn = behavioursEn ?? "", Color = color ?? "#1f5fa8", SortOrder = sortOrder, Active = active };
        return Done(catalogue.SaveValueAsync(new ValueForm(id, code, nameZh, nameEn, behavioursZh, behavioursEn, color, sortOrder, active), AdminScope.Of(User), Now));
    }

    public Task<IActionResult> OnPostBadgeAsync(long? id, string? code, string? kind, long? valueId, string? icon, string? color, string? nameZh, string? nameEn,
        string? descriptionZh, string? descriptionEn, string? phrasesZh, string? phrasesEn, bool active)
    {
        RefusedBadge = new BadgeRow
        {
            Id = id ?? 0, Code = code ?? "", Kind = kind ?? "peer", ValueId = valueId, Icon = icon ?? BadgeIcons.Fallback, Color = color ?? "#b3261e", NameZh = nameZh ?? "", NameEn = nameEn ?? "",
            DescriptionZh = descriptionZh ?? "", DescriptionEn = descriptionEn ?? "", PhrasesZh = phrasesZh, PhrasesEn = phrasesEn, Active = active,
        };
        return Done(catalogue.SaveBadgeAsync(new BadgeForm(id, code, kind, valueId, icon, color, nameZh, nameEn, descriptionZh, descriptionEn, phrasesZh, phrasesEn, active), AdminScope.Of(User), Now));
    }

    public Task<IActionResult> OnPostRuleAsync(long? id, string? code, string? category, string? nameZh, string? nameEn, int points, bool requiresApproval,
        int? capPerDay, int? capPerWeek, int? capPerMonth, bool claimable, bool kiosk, bool active)
    {
        RefusedRule = new RuleRow
        {
            Id = id ?? 0, Code = code ?? "", Category = category ?? "other", NameZh = nameZh ?? "", NameEn = nameEn ?? "", Points = points, RequiresApproval = requiresApproval,
            CapPerDay = capPerDay, CapPerWeek = capPerWeek, CapPerMonth = capPerMonth, Claimable = claimable, Kiosk = kiosk, Active = active,
        };
        return Done(catalogue.SaveRuleAsync(new RuleForm(id, code, category, nameZh, nameEn, points, requiresApproval, capPerDay, capPerWeek, capPerMonth, claimable, kiosk, active), AdminScope.Of(User), Now));
    }

    public Task<IActionResult> OnPostAchievementAsync(long? id, long badgeId, long ruleId, int threshold, int windowDays, int bonusPoints, bool active)
    {
        RefusedAchievement = new AchievementRow { Id = id ?? 0, BadgeId = badgeId, RuleId = ruleId, Threshold = threshold, WindowDays = windowDays, BonusPoints = bonusPoints, Active = active };
        return Done(catalogue.SaveAchievementAsync(new AchievementForm(id, badgeId, ruleId, threshold, windowDays, bonusPoints, active), AdminScope.Of(User), Now));
    }

    /// <summary>The rule form's "preview" button: what the entered points and caps would have paid, nothing saved.</summary>
    public async Task<IActionResult> OnPostPreviewRuleAsync(long? id, int points, int? capPerDay, int? capPerWeek, int? capPerMonth)
    {
        await LoadAsync();
        if (id is { } rule)
        {
            Preview = await preview.ForAsync(rule, Math.Clamp(points, 0, CatalogueAdmin.MaxPoints), capPerDay, capPerWeek, capPerMonth, Now);
            PreviewRuleId = rule;
        }
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync() =>
        File(await file.ExportAsync(), "application/json; charset=utf-8", $"catalogue-{clock.GetUtcNow():yyyyMMdd}.json");

    public async Task<IActionResult> OnPostImportAsync(IFormFile? upload, bool dryRun)
    {
        await LoadAsync();
        if (upload is null || upload.Length == 0) return Fail("Import.Empty");
        if (upload.Length > CatalogueFile.MaxBytes) return Fail("Catalogue.FileTooBig", CatalogueFile.MaxBytes / 1024 / 1024);
        using var ms = new MemoryStream();
        await upload.CopyToAsync(ms);
        Imported = await file.ImportAsync(ms.ToArray(), dryRun, AdminScope.Of(User), Now);
        ImportErrors = Imported.Errors.Select(e => CatalogueFile.Describe(e, L)).ToList();
        if (ImportErrors.Count > 0) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        if (Imported.Applied) await LoadAsync();
        return Page();
    }

    private PageResult Fail(string key, params object[] args)
    {
        return Refuse(key, args);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<IActionResult> Done(Task<Outcome> save)
    {
        var outcome = await save;
        if (outcome.Ok) return Redirect("/Admin/Catalogue?saved=true");
        await LoadAsync();
        return Refuse(outcome);
    }

    private async Task LoadAsync()
    {
        await using var c = await db.OpenAsync();
        (Values, Badges, Rules, Achievements) = await CatalogueRows.LoadAsync(c);
    }
}
