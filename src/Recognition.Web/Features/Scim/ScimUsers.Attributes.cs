using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Scim;

/// <summary>How SCIM attribute paths (core, name parts, emails, the enterprise extension) set a person's state, and the checks after.</summary>
public sealed partial class ScimUsers
{
    /// <summary>One attribute by its SCIM path (case-insensitive), as a PATCH or a full representation gives it.</summary>
    private static void Set(State s, string path, JsonNode? v, bool remove)
    {
        var p = path.Trim();
        if (p.StartsWith(ScimSchemas.Enterprise, StringComparison.OrdinalIgnoreCase))
        {
            var rest = p[ScimSchemas.Enterprise.Length..].TrimStart(':');
            if (rest.Length == 0)
            {
                if (remove) { s.EmployeeNumber = null; s.Department = null; s.DepartmentChanged = true; s.ManagerId = null; s.HireDay = null; return; }
                if (v is not JsonObject ext) throw new ScimError(400, "invalidValue", "The enterprise extension must be an object.");
                foreach (var (k, x) in ext) SetEnterprise(s, k, x, false);
                return;
            }
            SetEnterprise(s, rest, v, remove);
            return;
        }
        switch (p.ToLowerInvariant())
        {
            case "username":
                if (remove) throw new ScimError(400, "mutability", "userName is required.");
                s.UserName = ScimJson.Text(v, "userName") is { Length: > 0 } u ? u.Trim() : throw new ScimError(400, "invalidValue", "userName is required.");
                break;
            case "externalid": s.ExternalId = remove ? null : ScimJson.Text(v, "externalId") is { Length: > 0 } ext ? ext : null; break;
            case "active": s.Active = !remove && ScimJson.Bool(v, "active"); break;
            case "displayname": case "name.formatted": s.Formatted = remove ? null : ScimJson.Text(v, path, 200); break;
            case "name.givenname": s.Given = remove ? null : ScimJson.Text(v, path, 100); break;
            case "name.familyname": s.Family = remove ? null : ScimJson.Text(v, path, 100); break;
            case "name":
                if (remove) { s.Given = s.Family = s.Formatted = null; break; }
                if (v is not JsonObject n) throw new ScimError(400, "invalidValue", "name must be an object.");
                foreach (var (k, x) in n) Set(s, "name." + k, x, false);
                break;
            case "emails":
                if (remove || v is null) { s.Email = null; break; }
                if (v is not JsonArray arr) throw new ScimError(400, "invalidValue", "emails must be an array.");
                var primary = arr.OfType<JsonObject>().FirstOrDefault(e => e["primary"] is { } pr && ScimJson.Bool(pr, "primary")) ?? arr.OfType<JsonObject>().FirstOrDefault();
                s.Email = primary is null ? null : ScimJson.Text(primary["value"], "emails.value", 200);
                break;
            case "emails[type eq \"work\"].value":
            case "emails[primary eq true].value":
                s.Email = remove ? null : ScimJson.Text(v, "email", 200);
                break;
            case "preferredlanguage":
            case "locale":
                if (!remove && ScimJson.Text(v, path, 20) is { } lang)
                {
                    s.Locale = lang.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en-US" : lang.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : s.Locale;
                    s.LocaleSet = true;
                }
                break;
            case "id": throw new ScimError(400, "mutability", "id cannot be changed.");
            case "schemas": case "meta": break;
            default:
                // Attributes this product does not keep (phone numbers, addresses, title …) are accepted and not stored.
                if (p.Length > 300 || p.Contains('\n')) throw new ScimError(400, "invalidPath", "The path is not valid.");
                break;
        }
    }

    private static void SetEnterprise(State s, string attr, JsonNode? v, bool remove)
    {
        switch (attr.ToLowerInvariant())
        {
            case "employeenumber": s.EmployeeNumber = remove ? null : ScimJson.Text(v, "employeeNumber", 64); break;
            case "department":
                s.Department = remove ? null : ScimJson.Text(v, "department", 200) is { Length: > 0 } d ? TextRules.Clean(d) : null;
                s.DepartmentChanged = true;
                break;
            case "manager":
                if (remove || v is null) { s.ManagerId = null; break; }
                var managerText = v is JsonObject m ? ScimJson.Text(m["value"], "manager.value") : ScimJson.Text(v, "manager");
                if (string.IsNullOrEmpty(managerText)) { s.ManagerId = null; break; }
                s.ManagerId = long.TryParse(managerText, out var mid) ? mid : throw new ScimError(400, "invalidValue", "manager must be the SCIM id of a person of this site.");
                break;
            case "hiredate":
                // Not in RFC 7643's enterprise extension: directories send it as a custom attribute there (Entra, Okta).
                // A date or a date-time (its date part); the product keeps the day.
                if (remove || v is null) { s.HireDay = null; break; }
                var hire = ScimJson.Text(v, "hireDate", 40);
                if (string.IsNullOrEmpty(hire)) { s.HireDay = null; break; }
                s.HireDay = hire.Length >= 10 && DateTime.TryParseExact(hire[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.None, out var hd) && hd.Year >= 1950
                    ? SiteTime.Day(hd)
                    : throw new ScimError(400, "invalidValue", "hireDate must be a date such as 2021-11-18.");
                break;
            case "manager.value":
                s.ManagerId = remove ? null : long.TryParse(ScimJson.Text(v, "manager.value"), out var mv) ? mv : throw new ScimError(400, "invalidValue", "manager must be the SCIM id of a person of this site.");
                break;
        }
    }

    /// <summary>Works out the employee number and names from what was set, and checks them.</summary>
    private static void Finish(State s, State? keepNames = null)
    {
        // An existing person keeps their number unless employeeNumber itself changes (a directory's userName may be a sign-in name).
        var number = EmployeeNumbers.Normalize(s.EmployeeNumber ?? keepNames?.EmployeeNo ?? s.UserName);
        if (!EmployeeNumbers.IsValid(number))
            throw new ScimError(400, "invalidValue", "userName (or the enterprise employeeNumber) must be an employee number: letters, digits and . _ -, at most 32.");
        s.EmployeeNo = number;
        if (s.UserName is null) throw new ScimError(400, "invalidValue", "userName is required.");
        var composed = s.Formatted ?? (s.Given, s.Family) switch
        {
            (null, null) => null,
            var (g, f) when (g + f).Any(IsCjk) => $"{f}{g}",
            var (g, f) => $"{g} {f}".Trim(),
        };
        var name = TextRules.Clean(composed);
        if (name.Length > 100) throw new ScimError(400, "invalidValue", "The name is longer than 100 characters.");
        if (name.Length > 0)
        {
            if (name.Any(IsCjk)) s.NameZh = name; else s.NameEn = name;
        }
        if (keepNames is not null)
        {
            s.NameZh ??= name.Length > 0 && name.Any(IsCjk) ? name : keepNames.NameZh;
            s.NameEn ??= name.Length > 0 && !name.Any(IsCjk) ? name : keepNames.NameEn;
        }
        if (s.NameZh is null && s.NameEn is null) s.NameEn = s.EmployeeNo;
        s.Email = TextRules.Clean(s.Email) is { Length: > 0 } mail ? mail.ToLowerInvariant() : null;
        if (s.Email is { } e && (!e.Contains('@') || e.StartsWith('@') || e.EndsWith('@'))) throw new ScimError(400, "invalidValue", "The email address is not valid.");
        if (s.ManagerId is { } m && m == s.Id) throw new ScimError(400, "invalidValue", "A person cannot be their own manager.");
    }

    private static bool IsCjk(char c) => c >= '\u3400' && c <= '\u9fff';
}
