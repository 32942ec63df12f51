using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Scim;

/// <summary>A person as SCIM shows them: core attributes and the enterprise extension (with the hire date).</summary>
public sealed partial class ScimUsers
{
    public static JsonObject ToJson(State s, string baseUrl)
    {
        var id = s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var o = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.User, ScimSchemas.Enterprise),
            ["id"] = id,
            ["userName"] = s.UserName ?? s.EmployeeNo,
            ["name"] = new JsonObject { ["formatted"] = s.NameZh ?? s.NameEn },
            ["displayName"] = s.NameZh ?? s.NameEn,
            ["active"] = s.Active,
            ["preferredLanguage"] = s.Locale,
            [ScimSchemas.Enterprise] = new JsonObject
            {
                ["employeeNumber"] = s.EmployeeNo,
                ["department"] = s.Department,
                ["hireDate"] = s.HireDay is { } h ? SiteTime.FromDay(h).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
                ["manager"] = s.ManagerId is { } m ? new JsonObject { ["value"] = m.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null,
            },
            ["meta"] = new JsonObject
            {
                ["resourceType"] = "User",
                ["created"] = ScimJson.Stamp(s.Created),
                ["lastModified"] = ScimJson.Stamp(s.Created),
                ["location"] = $"{baseUrl}/scim/v2/Users/{id}",
                ["version"] = $"W/\"{s.Version}\"",
            },
        };
        if (s.ExternalId is not null) o["externalId"] = s.ExternalId;
        if (s.Email is not null) o["emails"] = new JsonArray(new JsonObject { ["value"] = s.Email, ["type"] = "work", ["primary"] = true });
        return o;
    }
}
