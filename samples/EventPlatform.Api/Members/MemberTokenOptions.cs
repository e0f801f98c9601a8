using Microsoft.Extensions.Options;

namespace EventPlatform.Api.Members;

/// <summary>The key member tokens are signed with: <c>Auth:TokenKey</c>, base64 of at least 32 bytes (no default).</summary>
public sealed class MemberTokenOptions
{
    /// <summary>The HMAC-SHA256 key, base64-encoded, from <c>Auth:TokenKey</c>.</summary>
    public string? TokenKey { get; set; }
}

/// <summary>Checks <see cref="MemberTokenOptions"/> at start, saying what to set and how.</summary>
internal sealed class MemberTokenOptionsValidator : IValidateOptions<MemberTokenOptions>
{
    private const string HowToSet =
        "Set it to 32 random bytes in base64, e.g. Auth__TokenKey=\"$(openssl rand -base64 32)\" in the environment "
        + "or `dotnet user-secrets set Auth:TokenKey \"...\"` in samples/EventPlatform.Api.";

    public ValidateOptionsResult Validate(string? name, MemberTokenOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.TokenKey))
        {
            return ValidateOptionsResult.Fail($"Auth:TokenKey is not set. Members' bearer tokens are signed with it, so no request could be authenticated. {HowToSet}");
        }

        var key = new byte[options.TokenKey.Length];
        if (!Convert.TryFromBase64String(options.TokenKey, key, out var length) || length < 32)
        {
            return ValidateOptionsResult.Fail($"Auth:TokenKey is not base64 of at least 32 bytes; a shorter key makes tokens guessable. {HowToSet}");
        }

        return ValidateOptionsResult.Success;
    }
}
