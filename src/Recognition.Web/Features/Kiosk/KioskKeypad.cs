using Microsoft.Extensions.Caching.Memory;

namespace Recognition.Web.Features.Kiosk;

/// <summary>The keys a kiosk's on-screen keypad offers beyond the digits.</summary>
public static class KioskKeypad
{
    /// <summary>The letters and signs the site's employee numbers use (A0001, S-12 …), so every number can be typed on the keypad.</summary>
    public static async Task<IReadOnlyList<string>> ExtrasAsync(Infrastructure.Data.Db db, IMemoryCache cache, long siteId) =>
        (await cache.GetOrCreateAsync($"kiosk-keypad:{siteId}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            var numbers = await db.ReadAsync(c => Dapper.SqlMapper.QueryAsync<string>(c, "SELECT employee_no FROM employees WHERE site_id = @siteId AND active = 1", new { siteId }));
            return (IReadOnlyList<string>)numbers.SelectMany(n => n.ToUpperInvariant()).Where(ch => !char.IsAsciiDigit(ch)).Distinct().Order().Take(16)
                .Select(ch => ch.ToString()).ToList();
        }))!;

    /// <summary>For activation: the letters of the activation codes and of the site's employee numbers, in order.</summary>
    public static async Task<IReadOnlyList<string>> LettersAsync(Infrastructure.Data.Db db, IMemoryCache cache, long siteId) =>
        [.. Infrastructure.ReadableCodes.Alphabet.Where(char.IsAsciiLetter).Select(ch => ch.ToString()).Union(await ExtrasAsync(db, cache, siteId)).Order(StringComparer.Ordinal)];
}
