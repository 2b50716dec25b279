using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.MonthEnd;

/// <summary>A real HTTP receiver on loopback: it records what arrives, can fail first, and can hold an answer back.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication app;
    public ConcurrentQueue<(string Body, Dictionary<string, string> Headers)> Received { get; } = new();
    public int FailFirst { get; set; }
    public SemaphoreSlim? Hold { get; set; }
    public string Url { get; }

    private Receiver(WebApplication app, string url) => (this.app, Url) = (app, url);

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        Receiver? receiver = null;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (receiver!.Hold is { } hold) await hold.WaitAsync(TimeSpan.FromSeconds(30));
            // Kestrel reuses the request's header collection once it ends: keep a copy.
            receiver.Received.Enqueue((body,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return receiver.Received.Count <= receiver.FailFirst ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new Receiver(app, address + "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
