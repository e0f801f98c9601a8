using Microsoft.Extensions.Options;

namespace MealPlanner.Api.Auth;

/// <summary>
/// Session settings, from the configuration section <c>Auth</c>. The signing key is a secret: it is never in
/// appsettings.json; set it with <c>dotnet user-secrets set Auth:SigningKey &lt;base64&gt;</c> in development or the
/// environment variable <c>Auth__SigningKey</c> elsewhere. The app refuses to start without a valid one.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section: <c>Auth</c>.</summary>
    public const string SectionName = "Auth";

    /// <summary>The fewest key bytes accepted: HMAC-SHA256 needs a key at least as long as its 32-byte output.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>The key that signs session tokens (HMAC-SHA256), base64, at least <see cref="MinKeyBytes"/> bytes. No default.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a session lasts after login.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>PBKDF2 iterations of new password hashes; a login re-hashes a stored password made with another count.</summary>
    /// <value>The default value is <see cref="PasswordHasher.DefaultIterations"/> (100,000).</value>
    public int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;

    /// <summary>
    /// Log-in attempts allowed per client address in each <see cref="LoginWindow"/>; further attempts get 429 with
    /// <c>Retry-After</c> until the window ends. It slows password guessing without locking anyone's account.
    /// </summary>
    /// <value>The default value is 10.</value>
    public int LoginPermitLimit { get; set; } = 10;

    /// <summary>The window of <see cref="LoginPermitLimit"/>.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The decoded signing key; valid once the options are validated.</summary>
    internal byte[] KeyBytes => Convert.FromBase64String(SigningKey!);
}

/// <summary>Checks <see cref="AuthOptions"/> when they are handed over (at start), every problem in one message that says how to fix it.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private const string HowToSet =
        "Set it to at least 32 random bytes in base64, outside source control: in development run "
        + "`dotnet user-secrets set Auth:SigningKey \"$(openssl rand -base64 32)\"` in samples/MealPlanner.Api; elsewhere set the environment variable Auth__SigningKey.";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            problems.Add($"Auth:SigningKey is not set. The app signs its session tokens (JWT, HMAC-SHA256) with this key and cannot start without one. {HowToSet}");
        }
        else
        {
            byte[]? key = null;
            try
            {
                key = Convert.FromBase64String(options.SigningKey);
            }
            catch (FormatException)
            {
                problems.Add($"Auth:SigningKey is not valid base64. {HowToSet}");
            }

            if (key is not null && key.Length < AuthOptions.MinKeyBytes)
            {
                problems.Add($"Auth:SigningKey is {key.Length} bytes; HMAC-SHA256 session tokens need a key of at least {AuthOptions.MinKeyBytes} bytes, or they can be forged. {HowToSet}");
            }
        }

        if (options.TokenLifetime <= TimeSpan.Zero || options.TokenLifetime > TimeSpan.FromDays(30))
        {
            problems.Add($"Auth:TokenLifetime is {options.TokenLifetime}; it must be more than zero and at most 30 days, e.g. 01:00:00.");
        }

        if (options.PasswordIterations < PasswordHasher.MinIterations)
        {
            problems.Add($"Auth:PasswordIterations is {options.PasswordIterations}; PBKDF2 needs at least {PasswordHasher.MinIterations} to slow down guessing (the default is {PasswordHasher.DefaultIterations}).");
        }

        if (options.LoginPermitLimit < 1)
        {
            problems.Add($"Auth:LoginPermitLimit is {options.LoginPermitLimit}; at least 1 log-in per window must be allowed, e.g. 10 (the default).");
        }

        if (options.LoginWindow <= TimeSpan.Zero || options.LoginWindow > TimeSpan.FromDays(1))
        {
            problems.Add($"Auth:LoginWindow is {options.LoginWindow}; it must be more than zero and at most a day, e.g. 00:01:00 (the default).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
