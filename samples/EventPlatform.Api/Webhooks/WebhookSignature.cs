using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventPlatform.Api.Webhooks;

/// <summary>
/// The signature of a webhook delivery, in the <see cref="HeaderName"/> header as <c>t={unix seconds},v1={hex}</c>,
/// where <c>v1</c> is HMAC-SHA256 under the shared secret of <c>"{t}.{body}"</c>: the timestamp is signed with the body,
/// so a captured delivery cannot be re-sent later with a fresh time.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature: <c>Webhook-Signature</c>.</summary>
    public const string HeaderName = "Webhook-Signature";

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="timestamp"/>, as the provider computes it.</summary>
    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        var seconds = timestamp.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={seconds},v1={Convert.ToHexStringLower(Mac(secret, seconds, body))}");
    }

    /// <summary>Whether <paramref name="header"/> signs <paramref name="body"/> under <paramref name="secret"/> within <paramref name="tolerance"/> of <paramref name="now"/>; if not, why.</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance, out string problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        long? seconds = null;
        byte[]? signature = null;
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                seconds = t;
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && part.Length == 3 + 64)
            {
                try
                {
                    signature = Convert.FromHexString(part.AsSpan(3));
                }
                catch (FormatException)
                {
                    signature = null;
                }
            }
        }

        if (seconds is null || signature is null)
        {
            problem = $"The {HeaderName} header must read 't=<unix seconds>,v1=<64 hex digits>'.";
            return false;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds.Value);
        if (age.Duration() > tolerance)
        {
            problem = $"The signature's timestamp is {Math.Round(age.TotalSeconds)} s from the server's clock, beyond the {tolerance.TotalSeconds} s allowed; re-sign the delivery when sending it.";
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Mac(secret, seconds.Value, body)))
        {
            problem = "The signature does not match the body under the shared secret; check the secret, and sign the exact bytes sent.";
            return false;
        }

        problem = "";
        return true;
    }

    private static byte[] Mac(string secret, long seconds, string body)
        => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seconds}.{body}")));
}
