using System.Security.Cryptography;

namespace Recognition.Web.Infrastructure;

/// <summary>
/// Short random codes people read aloud, type with gloves or scan: ten characters from an alphabet without 0/O, 1/I/L
/// or U (about 49 bits), shown as XXXXX-XXXXX. Reward pickup codes and customer thank-you codes are made here.
/// </summary>
public static class ReadableCodes
{
    public const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    public const int Length = 10;

    public static string New() =>
        string.Create(Length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        });

    public static string Format(string code) => code.Length == Length ? $"{code[..5]}-{code[5..]}" : code;

    /// <summary>
    /// What a scanner or a person typed, as stored: upper case, without spaces or dashes, and without the
    /// <paramref name="prefix"/> a QR code carries; null when it cannot be a code.
    /// </summary>
    public static string? Normalize(string? text, string? prefix = null)
    {
        var code = new string((text ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());
        if (prefix is not null && code.StartsWith(prefix, StringComparison.Ordinal)) code = code[prefix.Length..];
        return code.Length == Length && code.All(c => Alphabet.Contains(c)) ? code : null;
    }
}
