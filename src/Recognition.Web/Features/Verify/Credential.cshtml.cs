using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Features.Credentials;

namespace Recognition.Web.Features.Verify;

/// <summary>
/// /verify: anyone pastes or uploads a credential (a VC-JWT) and is told, in their language, whether it is valid,
/// revoked, changed (tampered) or not from this organisation. Input is bounded before anything decodes it.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(64 * 1024)]
public sealed class CredentialModel(CredentialVerifier verifier) : PageModel
{
    public CredentialCheck? Result { get; private set; }
    public string? Error { get; private set; }

    [BindProperty] public string? Token { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        var text = Token;
        if (file is { Length: > 0 })
        {
            if (file.Length > Jws.MaxLength) return Refuse("CredVerify.TooLarge");
            using var reader = new StreamReader(file.OpenReadStream());
            text = await reader.ReadToEndAsync();
        }
        if (string.IsNullOrWhiteSpace(text)) return Refuse("CredVerify.Empty");
        if (text.Length > Jws.MaxLength) return Refuse("CredVerify.TooLarge");
        Result = await verifier.CheckAsync(text.Trim());
        Token = text.Trim();
        return Page();
    }

    private PageResult Refuse(string key)
    {
        Error = key;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
