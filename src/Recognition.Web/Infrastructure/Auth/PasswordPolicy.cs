using System.Security.Cryptography;

namespace Recognition.Web.Infrastructure.Auth;

/// <summary>
/// The one password rule, stated on every page that sets a password (Password.Policy): at least 10 characters,
/// with a letter and a digit, at most 128, not the employee number.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    /// <summary>The resource key of the broken rule, or null when the password is acceptable.</summary>
    public static string? Check(string? password, string? employeeNo)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return "Password.TooShort";
        if (password.Length > MaxLength) return "Password.TooLong";
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit)) return "Password.NeedsLetterAndDigit";
        if (employeeNo is not null && password.Contains(employeeNo.Trim(), StringComparison.OrdinalIgnoreCase)) return "Password.ContainsEmployeeNo";
        return null;
    }

    /// <summary>A random password that meets the policy (16 characters, no look-alikes such as 0/O or 1/l).</summary>
    public static string Generate()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        while (true)
        {
            var chars = Enumerable.Range(0, 16).Select(i => i % 4 == 3 ? digits[RandomNumberGenerator.GetInt32(digits.Length)] : letters[RandomNumberGenerator.GetInt32(letters.Length)]).ToArray();
            var candidate = new string(chars);
            if (Check(candidate, null) is null) return candidate;
        }
    }
}
