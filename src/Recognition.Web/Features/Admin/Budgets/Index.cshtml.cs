using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Budgets;

/// <summary>/Admin/Budgets: company-funded points of a site (spot budgets, celebrations) and the budget report.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(BudgetAdmin admin, AdminLookups lookups, Db db, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public CompanyFunding Funding { get; private set; } = new();
    public IReadOnlyList<SpotRow> People { get; private set; } = [];
    public IReadOnlyList<BudgetMonth> Months { get; private set; } = [];
    public bool Saved { get; private set; }

    private AdminScope Scope => AdminScope.Of(User);
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(bool saved = false)
    {
        Saved = saved;
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostFundingAsync(int spotBudget, int birthdayPoints, int anniversaryPoints, int firstDayPoints)
    {
        if (!await LoadAsync()) return NotFound();
        var outcome = await admin.SaveFundingAsync(Site!.Value, spotBudget, birthdayPoints, anniversaryPoints, firstDayPoints, Scope, Now);
        if (outcome.Ok) return Redirect($"/Admin/Budgets?site={Site}&saved=true");
        // What was typed stays in the form beside the message.
        Funding = new CompanyFunding { SiteId = Site.Value, SpotBudget = spotBudget, BirthdayPoints = birthdayPoints, AnniversaryPoints = anniversaryPoints, FirstDayPoints = firstDayPoints };
        return Refuse(outcome);
    }

    public async Task<IActionResult> OnPostPersonAsync(long employeeId, int? monthly)
    {
        if (!await LoadAsync()) return NotFound();
        var outcome = await admin.SetPersonAsync(employeeId, monthly, Scope, Now);
        if (outcome.Error == "People.NotFound") return NotFound();
        return outcome.Ok ? Redirect($"/Admin/Budgets?site={Site}&saved=true#spot") : Refuse(outcome);
    }

    private async Task<bool> LoadAsync()
    {
        var scope = Scope;
        Site ??= scope.HomeSite;
        if (Site is not { } s || !scope.Covers(s)) return false;
        Sites = await lookups.SitesAsync(scope);
        (Funding, People, Months) = await admin.ReportAsync(s, await SiteTime.TodayAsync(db, s, Now) / 100);
        return true;
    }

    public static string MonthText(int month) => $"{month / 100}-{month % 100:00}";
}
