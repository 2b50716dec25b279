using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Tests.Infrastructure;

/// <summary>A row read before a commit never outlives it: a revoked key or a suspended user is not answered from memory.</summary>
public sealed class RememberedTests
{
    [Fact]
    public async Task AReadThatOverlappedAChangeIsNotKept()
    {
        var remembered = new Remembered<int, string>(enabled: true);
        var before = new TaskCompletionSource<string>();
        var reading = remembered.GetOrReadAsync(1, () => before.Task); // reads the row as it was before the commit...
        using (remembered.Change()) { } // ...while the change commits
        before.SetResult("before");
        Assert.Equal("before", await reading);
        Assert.Equal("after", await remembered.GetOrReadAsync(1, () => Task.FromResult("after")));
        Assert.Equal("after", await remembered.GetOrReadAsync(1, () => Task.FromResult("not read: remembered")));
    }

    [Fact]
    public async Task NothingIsAnsweredFromMemoryWhileAChangeIsOpen()
    {
        var remembered = new Remembered<int, string>(enabled: true);
        await remembered.GetOrReadAsync(1, () => Task.FromResult("before"));
        using (remembered.Change())
        {
            Assert.True(remembered.Changing);
            Assert.Equal("during", await remembered.GetOrReadAsync(1, () => Task.FromResult("during")));
        }
        Assert.Equal("after", await remembered.GetOrReadAsync(1, () => Task.FromResult("after")));
        await remembered.GetOrReadAsync(2, () => Task.FromResult("not kept"), keep: _ => false);
        Assert.Equal("read again", await remembered.GetOrReadAsync(2, () => Task.FromResult("read again")));
    }
}
