using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Channels;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Channels;

/// <summary>
/// /Admin/Channels: a site's or team's chat robots (WeCom, DingTalk, Feishu, Teams) and signed webhooks, shown masked;
/// "send a test message" queues one; the latest deliveries with the target's answer; dead letters with Retry.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(ChannelStore store, ChannelMessages messages, AdminLookups lookups, TimeProvider clock) : FormPage
{
    public IReadOnlyList<ChannelRow> Channels { get; private set; } = [];
    public IReadOnlyList<DeliveryRow> Recent { get; private set; } = [];
    public IReadOnlyList<DeliveryRow> Dead { get; private set; } = [];
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public IReadOnlyList<Option> Teams { get; private set; } = [];
    public string? ShownOnce { get; private set; }
    public string? Done { get; private set; }

    [BindProperty] public long SiteId { get; set; }
    [BindProperty] public long? TeamId { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Secret { get; set; }
    [BindProperty] public string? Locale { get; set; }
    [BindProperty] public string? Cadence { get; set; }

    private string? Ip => HttpContext.Connection.RemoteIpAddress?.ToString();
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync(string? done)
    {
        Done = done is "test" or "retry" or "removed" ? done : null;
        await LoadAsync();
    }

    /// <summary>The deliveries table alone, for the page's periodic refresh.</summary>
    public async Task<IActionResult> OnGetDeliveriesAsync()
    {
        await LoadAsync();
        return Partial("_Deliveries", this);
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var (outcome, secret) = await store.CreateAsync(new ChannelForm(SiteId, TeamId is > 0 ? TeamId : null, Kind, Name, Address, Secret, Locale, Cadence), AdminScope.Of(User), Ip, Now);
        Secret = null;
        await LoadAsync();
        if (!outcome.Ok) return Refuse(outcome);
        Response.Headers.CacheControl = "no-store";
        ShownOnce = secret;
        Done = "created";
        Name = Address = null;
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(long id) =>
        await AfterAsync(await store.TestAsync(id, AdminScope.Of(User), messages.Test, Ip, Now), "test");

    public async Task<IActionResult> OnPostRemoveAsync(long id) => await AfterAsync(await store.RemoveAsync(id, AdminScope.Of(User), Ip, Now), "removed");

    public async Task<IActionResult> OnPostRetryAsync(long id) => await AfterAsync(await store.RetryAsync(id, AdminScope.Of(User), Ip, Now), "retry");

    private async Task<IActionResult> AfterAsync(Outcome outcome, string done)
    {
        if (outcome.Ok) return Redirect($"/Admin/Channels?done={done}");
        await LoadAsync();
        return Refuse(outcome);
    }

    private async Task LoadAsync()
    {
        var scope = AdminScope.Of(User);
        Channels = await store.ListAsync(scope);
        Recent = await store.DeliveriesAsync(scope, deadOnly: false, take: 20);
        Dead = await store.DeliveriesAsync(scope, deadOnly: true, take: 50);
        Sites = await lookups.SitesAsync(scope);
        if (SiteId == 0) SiteId = scope.HomeSite;
        Teams = await lookups.TeamsAsync(SiteId, scope);
        Locale ??= System.Globalization.CultureInfo.CurrentUICulture.Name;
    }
}
