using System.Security.Cryptography;
using System.Text;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Returns;

/// <summary>
/// The database never holds a service's own identifiers: client and referral ids are stored as
/// HMAC-SHA-256 under a deployment secret, scoped to the provider (two services' "123" are different people).
/// The same secret, through a derived key, encrypts the referral ids kept in findings so that only the
/// service itself is ever shown them again.
/// </summary>
public sealed class Pseudonymiser
{
    private readonly byte[] hmacKey;
    private readonly byte[] findingsKey;

    public Pseudonymiser(byte[] secret)
    {
        if (secret.Length < 32) throw new InvalidOperationException("The pseudonymisation secret must be at least 32 bytes.");
        hmacKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "ipsoutcomes identifiers"u8.ToArray());
        findingsKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "ipsoutcomes findings"u8.ToArray());
    }

    /// <summary>
    /// Keys one provider's identifiers. Not thread-safe: take one per job. Re-using one HMAC instead of keying a
    /// new one for every identifier more than halves the cost, which a million-row return notices.
    /// </summary>
    public Keyer For(string providerCode) => new(IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, hmacKey), providerCode);

    public sealed class Keyer(IncrementalHash hmac, string providerCode) : IDisposable
    {
        private readonly byte[] referralPrefix = Encoding.UTF8.GetBytes(providerCode + "\nreferral\n");
        private readonly byte[] clientPrefix = Encoding.UTF8.GetBytes(providerCode + "\nclient\n");

        public void ReferralKey(string referralId, Span<byte> destination) => Key(referralPrefix, referralId, destination);

        public void ClientKey(string clientId, Span<byte> destination) => Key(clientPrefix, clientId, destination);

        // HMAC(provider + kind + identifier), without building the string, and handed to the HMAC in one piece: a
        // million-row return keys two million, and each call into OpenSSL costs about as much as hashing the bytes.
        private void Key(byte[] prefix, string identifier, Span<byte> destination)
        {
            var length = prefix.Length + Encoding.UTF8.GetMaxByteCount(identifier.Length);
            var rented = length > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(length) : null;
            var buffer = rented ?? stackalloc byte[512];
            prefix.CopyTo(buffer);
            var written = prefix.Length + Encoding.UTF8.GetBytes(identifier, buffer[prefix.Length..]);
            hmac.AppendData(buffer[..written]);
            hmac.GetHashAndReset(destination);
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        public void Dispose() => hmac.Dispose();
    }

    public const int KeyBytes = 32;

    /// <summary>Encrypts many referral ids with one key schedule: a rejected million-row return can have 100,000 findings.</summary>
    public Sealer FindingsSealer() => new(new AesGcm(findingsKey, 16));

    public sealed class Sealer(AesGcm aes) : IDisposable
    {
        public string Seal(string text)
        {
            var plain = Encoding.UTF8.GetBytes(text);
            var sealedBytes = new byte[12 + 16 + plain.Length];
            var nonce = sealedBytes.AsSpan(0, 12);
            RandomNumberGenerator.Fill(nonce);
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
            return Convert.ToBase64String(sealedBytes);
        }

        public void Dispose() => aes.Dispose();
    }

    public string? Decrypt(string? sealedText)
    {
        if (sealedText is null) return null;
        var sealedBytes = Convert.FromBase64String(sealedText);
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(findingsKey, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
