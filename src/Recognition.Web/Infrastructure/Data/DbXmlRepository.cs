using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Recognition.Web.Infrastructure.Data;

/// <summary>Data Protection keys live in the database, so every app instance can read every cookie.</summary>
public sealed class DbXmlRepository(Db db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var conn = db.OpenAsync().GetAwaiter().GetResult();
        return conn.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            db.Dialect.InsertIfMissing("data_protection_keys", ["friendly_name"], ["friendly_name", "xml"]),
            new { friendly_name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) }, tx)).GetAwaiter().GetResult();
    }
}
