using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Account;

[AllowAnonymous]
public sealed class DeniedModel : PageModel
{
    public void OnGet() { }
}
