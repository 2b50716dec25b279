using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using IpsOutcomes.Tests.Infrastructure;
using IpsOutcomes.Tests.Returns;
using Microsoft.Playwright;

namespace IpsOutcomes.Tests.Pages;

/// <summary>A page test: skipped without Chromium, except where it is required.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Browser.Available && !Browser.Required) Skip = $"Debian's chromium is not installed ({Browser.ExecutablePath}): apt-get install chromium";
    }
}
