using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventPlatform.Api.Members;

/// <summary>
/// Members' bearer tokens: <c>{member id}.{HMAC-SHA256 of "member:{id}" under Auth:TokenKey, base64url}</c>, sent as
/// <c>Authorization: Bearer …</c>. Stateless, so checking one costs no database round trip; the sign-in flow that
/// hands them out is outside this sample (tests issue them with <see cref="Issue"/>).
/// </summary>
public sealed class MemberTokens
{
    private readonly byte[] _key;

    /// <summary>Reads the key from <see cref="MemberTokenOptions"/>.</summary>
    public MemberTokens(IOptions<MemberTokenOptions> options)
        => _key = Convert.FromBase64String(options?.Value.TokenKey ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>The token of member <paramref name="memberId"/>.</summary>
    public string Issue(int memberId) => string.Create(CultureInfo.InvariantCulture, $"{memberId}.{Base64Url(Sign(memberId))}");

    /// <summary>
    /// The member the request's <c>Authorization: Bearer</c> token names, or <see langword="null"/> with the reason in
    /// <paramref name="problem"/> when there is none or it is not genuine.
    /// </summary>
    public int? Authenticate(HttpRequest request, out string problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            problem = "Send the member's token as 'Authorization: Bearer <token>'.";
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !int.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var memberId)
            || memberId < 1
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token[(dot + 1)..]), Encoding.ASCII.GetBytes(Base64Url(Sign(memberId)))))
        {
            problem = "The bearer token is not one this platform issued; sign in again for a new one.";
            return null;
        }

        problem = "";
        return memberId;
    }

    private byte[] Sign(int memberId) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"member:{memberId}")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
