using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Api;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Api;

/// <summary>/Admin/Api: integration tokens for the plant's systems — per site, read and/or named rules, shown once, revocable.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(ApiTokens tokens, AdminLookups lookups, TimeProvider clock) : FormPage
{
    public IReadOnlyList<ApiTokens.TokenRow> Tokens { get; private set; } = [];
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name)> Rules { get; private set; } = [];
    public string? NewToken { get; private set; }
    public string ApiUrl => PublicUrl.Base(HttpContext) + "/api/v1";

    [BindProperty] public long TokenSite { get; set; }
    [BindProperty] public string? TokenName { get; set; }
    [BindProperty] public bool CanRead { get; set; }
    [BindProperty] public List<string> RuleCodes { get; set; } = [];

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostTokenAsync()
    {
        var (outcome, token) = await tokens.CreateAsync(TokenSite, TokenName, CanRead, RuleCodes, AdminScope.Of(User), HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        await LoadAsync();
        if (!outcome.Ok) return Refuse(outcome);
        Response.Headers.CacheControl = "no-store";
        NewToken = token;
        TokenName = null;
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var outcome = await tokens.RevokeAsync(id, AdminScope.Of(User), HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        await LoadAsync();
        return outcome.Ok ? Page() : Refuse(outcome);
    }

    private async Task LoadAsync()
    {
        var scope = AdminScope.Of(User);
        Tokens = await tokens.ListAsync(scope);
        Sites = await lookups.SitesAsync(scope);
        Rules = await tokens.RulesAsync();
        if (TokenSite == 0) TokenSite = scope.HomeSite;
    }
}
