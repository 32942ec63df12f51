using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Web.Features.Me;

[Authorize(Policy = Policies.Employee)]
public sealed class TransparencyModel : PageModel
{
    public void OnGet() { }
}
