namespace TagCache.Reliability.Tests.Support;

/// <summary>Random small pauses injected inside computations, so invalidations land at every point of them.</summary>
public static class Jitter
{
    public static void Pause()
    {
        var roll = Random.Shared.Next(100);
        if (roll < 40)
        {
            return;
        }

        if (roll < 85)
        {
            Thread.SpinWait(Random.Shared.Next(1, 300));
        }
        else
        {
            Thread.Yield();
        }
    }

    public static async ValueTask PauseAsync()
    {
        var roll = Random.Shared.Next(1000);
        if (roll < 3)
        {
            // Occasionally a real timer wait, so the computation resumes on another thread much later.
            await Task.Delay(Random.Shared.Next(0, 2)).ConfigureAwait(false);
        }
        else if (roll < 150)
        {
            await Task.Yield();
        }
        else
        {
            Pause();
        }
    }
}
