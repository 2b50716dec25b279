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

    /// <summary>False for loopback, private, shared (carrier NAT), link-local, benchmarking, multicast and reserved ranges.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224                 // "this" network, private, loopback, multicast and reserved
                     || (b[0] == 100 && (b[1] & 0xC0) == 64)           // 100.64.0.0/10, carrier NAT
                     || (b[0] == 169 && b[1] == 254)                   // link-local, cloud metadata
                     || (b[0] == 172 && (b[1] & 0xF0) == 16)           // 172.16.0.0/12
                     || (b[0] == 192 && b[1] == 168)                   // 192.168.0.0/16
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)        // 192.0.0.0/24, protocol assignments
                     || (b[0] == 198 && (b[1] & 0xFE) == 18));         // 198.18.0.0/15, benchmarking
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                     || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        return false;
    }
}
