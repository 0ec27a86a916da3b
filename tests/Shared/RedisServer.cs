// Shared by the Redis tests and benchmarks (linked, not referenced).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TagCache.Testing;

/// <summary>
/// A throw-away redis-server on a free port of 127.0.0.1 with a temporary directory, killed and deleted on dispose. It can
/// be stopped, restarted (with or without the data it had), paused (SIGSTOP) and resumed like a real server. Needs
/// Debian's <c>redis-server</c>, which it installs when missing and this runs as root with apt-get (a fresh CI machine).
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly object InstallLock = new();

    private readonly string _directory;
    private readonly bool _persistent;
    private Process? _process;

    private RedisServer(string directory, int port, bool persistent)
    {
        _directory = directory;
        Port = port;
        _persistent = persistent;
    }

    public int Port { get; }

    /// <summary>Gets a StackExchange.Redis configuration for the server; commands time out after two seconds.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000,connectRetry=1";

    /// <param name="persistent">Keep an append-only file (fsync'd every write), so a restart keeps the data.</param>
    public static RedisServer Start(bool persistent = false)
    {
        var binary = FindBinary();
        var directory = Path.Combine(Path.GetTempPath(), "tagcache-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new RedisServer(directory, FreePort(), persistent) { Binary = binary };
        server.StartServer();
        return server;
    }

    private string Binary { get; init; } = "redis-server";

    /// <summary>Starts the process and waits until it answers PING.</summary>
    public void StartServer()
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory, "--save", "", "--appendonly", _persistent ? "yes" : "no", "--appendfsync", "always"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!Answers())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer within 20 s.");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Kills the server at once (no save): what a crash or an OOM kill does.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            Resume();
            process.Kill();
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Stops and starts the server; without persistence it comes back empty, with a new run id either way.</summary>
    public void Restart()
    {
        Stop();
        StartServer();
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing answers, as a paused VM or a stuck process.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    /// <summary>Runs one command with redis-cli (as an operator would): <c>FLUSHALL</c>, <c>CLIENT KILL TYPE pubsub</c>, …</summary>
    public string Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(10_000);
        return output.Trim();
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            stream.ReadTimeout = 1000;
            var read = stream.Read(buffer);
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            return false;
        }
    }

    private void Signal(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit(10_000);
        }
    }

    private static string FindBinary()
    {
        const string path = "/usr/bin/redis-server";
        if (!File.Exists(path) && Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            lock (InstallLock)
            {
                if (!File.Exists(path))
                {
                    Environment.SetEnvironmentVariable("DEBIAN_FRONTEND", "noninteractive");
                    Run("apt-get", ["update", "-qq"]);
                    Run("apt-get", ["install", "-y", "-qq", "redis-server"]);
                }
            }
        }

        return File.Exists(path)
            ? path
            : throw new InvalidOperationException("redis-server was not found at /usr/bin/redis-server. Install it: apt-get update && apt-get install -y redis-server (.ci/run does, and so do the tests when run as root).");
    }

    private static void Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
