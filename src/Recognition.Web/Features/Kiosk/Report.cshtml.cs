using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Claims;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Kiosk;

/// <summary>Report a hazard or near miss from the kiosk: what, where (the site's areas), an optional note.</summary>
[Authorize(Policy = Policies.KioskSession)]
public sealed class ReportModel(ClaimService claims, Db db, TimeProvider clock) : KioskPage
{
    public const int NoteMax = 500;
    public static readonly string[] QuickPicks = ["Kiosk.Hazard.Oil", "Kiosk.Hazard.Guard", "Kiosk.Hazard.Aisle", "Kiosk.Hazard.Wiring", "Kiosk.Hazard.Ppe"];
    /// <summary>The system rule reported: hazard_report or near_miss (system keys, whatever HR named the rules).</summary>
    [BindProperty] public string Rule { get; set; } = "hazard_report";
    [BindProperty] public string? What { get; set; }
    [BindProperty] public long? AreaId { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string IdempotencyKey { get; set; } = "";
    public IReadOnlyList<(long Id, string Name)> Areas { get; private set; } = [];
    /// <summary>The safety reports this kiosk offers, named as HR named them (catalogue: "offered at the kiosk").</summary>
    public IReadOnlyList<(string Key, string Name)> Offered { get; private set; } = [];

    public async Task OnGetAsync()
    {
        IdempotencyKey = Idempotency.NewKey();
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        // The person's own words are checked alone, cleaned as everywhere: the area's name added below must not make a
        // report of invisible characters long enough.
        // A quick pick is stored as its choice, so each reader sees it in their own language; the words as the reporter saw
        // them (or, from an older form, as sent) make the description.
        var pick = QuickPicks.FirstOrDefault(k => k == What || Texts.In("zh-CN", k) == What || Texts.In("en-US", k) == What);
        var what = pick is null ? MessageRules.Clean(What) : Texts.In(System.Globalization.CultureInfo.CurrentUICulture.Name, pick);
        var noteText = MessageRules.Clean(Note);
        var area = Areas.FirstOrDefault(a => a.Id == AreaId);
        if (what.Length == 0) return Fail("Kiosk.Error.What");
        if (area.Id == 0) return Fail("Kiosk.Error.Where");
        if (MessageRules.Length(noteText) > NoteMax) return Fail("Error.MessageTooLong", NoteMax);
        var rules = RulesOptions.Product;
        if (MessageRules.Check($"{what} {noteText}".Trim(), rules.ClaimMinLength, rules.ClaimMaxLength, rules.CjkWeight) is { } bad) return Fail(bad.Key, bad.Arg);
        var ruleId = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>(
            "SELECT id FROM behaviour_rules WHERE system_key = @Rule AND system_key IN ('hazard_report', 'near_miss') AND claimable = 1 AND kiosk = 1 AND active = 1", new { Rule }));
        if (ruleId is null) return Fail("Error.UnknownRule");
        var note = noteText.Length == 0 ? "" : $" {noteText}";
        var outcome = await claims.SubmitAsync(new ClaimCommand(PersonId, ruleId.Value, $"{what}（{area.Name}）{note}", area.Name, null, IdempotencyKey,
            QuickPick: pick, AreaId: pick is null ? null : area.Id, Note: noteText), clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return await FinishAsync("reported");
        return Fail(outcome.Error!, outcome.Args);
    }

    private IActionResult Fail(string key, params object[] args)
    {
        return Refuse(key, args);
    }

    private async Task LoadAsync()
    {
        Areas = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zh, string En)>(
            "SELECT id, name_zh, name_en FROM site_areas WHERE site_id = @SiteId AND active = 1 ORDER BY id", new { SiteId })))
            .Select(a => (a.Id, Bilingual.Pick(a.Zh, a.En))).ToList();
        Offered = (await db.ReadAsync(c => c.QueryAsync<(string Key, string Zh, string En)>(
            "SELECT system_key, name_zh, name_en FROM behaviour_rules WHERE system_key IN ('hazard_report', 'near_miss') AND claimable = 1 AND kiosk = 1 AND active = 1 ORDER BY system_key")))
            .Select(r => (r.Key, Bilingual.Pick(r.Zh, r.En))).ToList();
    }
}
