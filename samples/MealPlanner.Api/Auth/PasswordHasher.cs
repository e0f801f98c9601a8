using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MealPlanner.Api.Auth;

/// <summary>
/// PBKDF2 password hashes (HMAC-SHA256, a random 16-byte salt, a 32-byte hash) in a self-describing
/// format, <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>, so that the
/// iteration count can be raised later without invalidating stored hashes.
/// </summary>
public static class PasswordHasher
{
    /// <summary>The iteration count of new hashes unless configured otherwise (<c>Auth:PasswordIterations</c>).</summary>
    public const int DefaultIterations = 100_000;

    /// <summary>The fewest iterations accepted, for new hashes and stored ones alike.</summary>
    public const int MinIterations = 10_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Bounds the work an attacker-controlled stored value could demand; far above any real setting.
    private const int MaxIterations = 10_000_000;

    /// <summary>Hashes <paramref name="password"/> with a new random salt.</summary>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="stored"/>, compared in constant time.
    /// A malformed stored value never matches. <paramref name="iterations"/> is the stored value's count (0 if malformed).
    /// </summary>
    public static bool Verify(string password, string stored, out int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(stored);
        iterations = 0;
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < MinIterations or > MaxIterations)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (salt.Length != SaltBytes || expected.Length != HashBytes)
        {
            return false;
        }

        iterations = count;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, count, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
