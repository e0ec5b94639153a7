using System.Security.Cryptography;
using System.Text;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// Checks an HTTP Basic <c>Authorization</c> header against a configured user and password (plain, or
/// supervisord's <c>{SHA}</c> + hex SHA-1). Both parts are always compared, in constant time, through
/// fixed-length digests, so neither timing nor the answer tells which part was wrong.
/// </summary>
internal sealed class BasicCredentials
{
    private readonly byte[] _userDigest;
    private readonly byte[] _passwordDigest;
    private readonly bool _passwordIsSha1;

    public BasicCredentials(string username, string? password)
    {
        _userDigest = SHA256.HashData(Encoding.UTF8.GetBytes(username));
        password ??= "";
        _passwordIsSha1 = password.StartsWith("{SHA}", StringComparison.Ordinal);
        var secret = _passwordIsSha1 ? password[5..].Trim().ToLowerInvariant() : password;
        _passwordDigest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Null when no username is configured: the endpoint is open.</summary>
    public static BasicCredentials? From(string? username, string? password) =>
        string.IsNullOrEmpty(username) ? null : new BasicCredentials(username, password);

    public bool Verify(string? authorizationHeader)
    {
        var user = "";
        var password = "";
        if (authorizationHeader is not null && authorizationHeader.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorizationHeader[6..].Trim()));
                var colon = decoded.IndexOf(':');
                if (colon >= 0)
                {
                    user = decoded[..colon];
                    password = decoded[(colon + 1)..];
                }
            }
            catch (FormatException) { }
        }
        var offered = _passwordIsSha1 ? Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(password))) : password;
        var userOk = CryptographicOperations.FixedTimeEquals(_userDigest, SHA256.HashData(Encoding.UTF8.GetBytes(user)));
        var passwordOk = CryptographicOperations.FixedTimeEquals(_passwordDigest, SHA256.HashData(Encoding.UTF8.GetBytes(offered)));
        return userOk & passwordOk; // non-short-circuit on purpose
    }
}
