using System.Net;
using System.Net.Sockets;

namespace IpsOutcomes.Webhooks;

/// <summary>
/// Webhook deliveries go only to public addresses, so that an ICB key cannot make the service call into its own
/// network (http://169.254.169.254/, http://localhost:…): server-side request forgery. The check is made on the
/// addresses actually dialled, when connecting, so a name that resolves to a private address, now or on a later
/// attempt, is refused as well. <c>Webhooks:AllowPrivateAddresses</c> turns it off for receivers on the same
/// network as the service.
/// </summary>
public static class WebhookEgress
{
    public static SocketsHttpHandler Handler(bool allowPrivateAddresses) => new()
    {
        UseProxy = false, // the check is of the receiver's address, not a proxy's
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = allowPrivateAddresses ? addresses : Array.FindAll(addresses, IsPublic);
            if (allowed.Length == 0)
                throw new HttpRequestException($"{host} is not a public address; webhooks are delivered only to public addresses");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>
    /// Why a receiver's address is refused when it is registered, or null: an address with a user name or password in it
    /// (a secret kept in plain sight); and, unless private addresses are allowed, plain http (the payload and its signature
    /// in the clear), localhost, or an address given as a number that is not public. A name is resolved only when a
    /// delivery is made, where <see cref="Handler"/> refuses it if it leads somewhere private.
    /// </summary>
    public static string? RefusalAtRegistration(Uri url, bool allowPrivateAddresses)
    {
        if (url.UserInfo.Length > 0) return "url may not carry a user name or password: the receiver checks the signature instead.";
        if (allowPrivateAddresses) return null;
        if (url.Scheme != Uri.UriSchemeHttps) return "url is an https address: events are sent only over TLS.";
        var host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && !IsPublic(address)))
            return $"{host} is not a public address: webhooks are delivered only to public addresses.";
        return null;
    }

    /// <summary>
    /// False for loopback, private, shared (carrier NAT), link-local, benchmarking, multicast and reserved ranges, and for
    /// an IPv6 address that carries an IPv4 one that is not public (mapped, compatible, NAT64, 6to4, Teredo): a
    /// translator on the way would deliver to that IPv4 address.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224                 // "this" network, private, loopback, multicast and reserved
                     || (b[0] == 100 && (b[1] & 0xC0) == 64)           // 100.64.0.0/10, carrier NAT
                     || (b[0] == 169 && b[1] == 254)                   // link-local, cloud metadata
                     || (b[0] == 172 && (b[1] & 0xF0) == 16)           // 172.16.0.0/12
                     || (b[0] == 192 && b[1] == 168)                   // 192.168.0.0/16
                     || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)   // 192.0.0.0/24 protocol assignments, 192.0.2.0/24 documentation
                     || (b[0] == 198 && (b[1] & 0xFE) == 18)           // 198.18.0.0/15, benchmarking
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)     // documentation
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113));    // documentation
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal
            || address.IsIPv6Multicast)
            return false;
        var v6 = address.GetAddressBytes();
        if (EmbeddedIPv4(v6) is { } embedded) return IsPublic(embedded);
        return !((v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8)     // 2001:db8::/32, documentation
                 || (v6[0] == 0x01 && v6[1] == 0 && v6.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0) // 100::/64, discard
                 || v6[0] == 0);                                                    // ::/8, reserved (compatible and mapped forms above)
    }

    /// <summary>The IPv4 address an IPv6 address carries, where it is one of the forms that carry one.</summary>
    private static IPAddress? EmbeddedIPv4(byte[] v6)
    {
        IPAddress At(int offset, bool inverted = false) =>
            new(v6.AsSpan(offset, 4).ToArray().Select(b => inverted ? (byte)~b : b).ToArray());
        var zeroTo10 = v6.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0;
        if (zeroTo10 && v6[10] == 0xff && v6[11] == 0xff) return At(12);                               // ::ffff:a.b.c.d, mapped
        if (zeroTo10 && v6[10] == 0 && v6[11] == 0) return At(12);                                     // ::a.b.c.d, compatible
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff
            && v6[3] == 0x9b) return At(12);           // 64:ff9b::/96 and 64:ff9b:1::/48, NAT64
        if (v6[0] == 0x20 && v6[1] == 0x02) return At(2);                                              // 2002::/16, 6to4
        if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0 && v6[3] == 0) return At(12,
            inverted: true); // 2001::/32, Teredo: the client, inverted
        return null;
    }
}
