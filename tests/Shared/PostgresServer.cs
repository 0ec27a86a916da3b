// Shared by the PostgreSQL tests and benchmarks (linked, not referenced).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TagCache.Testing;

/// <summary>
/// A throw-away PostgreSQL cluster: initdb into a temporary directory, started on a free port of 127.0.0.1 with
/// fsync off, stopped and deleted on dispose. Run as root (CI), the server runs as the <c>postgres</c> user through
/// <c>runuser</c>, since PostgreSQL refuses to run as root. Needs PostgreSQL's binaries (Debian: <c>apt-get install postgresql</c>).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly TimeSpan CommandGuard = TimeSpan.FromSeconds(60);
    private static readonly object InstallLock = new();

    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string directory, int port, bool asPostgresUser)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>Gets a connection string for the <c>postgres</c> database; failing connections fail within two seconds.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=2;Command Timeout=15;Include Error Detail=true";

    public static PostgresServer Start()
    {
        var bin = FindBinaries();
        var directory = Path.Combine(Path.GetTempPath(), "tagcache-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser)
        {
            Run("chown", ["-R", "postgres:postgres", directory]);
        }

        var server = new PostgresServer(bin, directory, FreePort(), asPostgresUser);
        server.Pg("initdb", ["-D", server.Data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        server.StartServer();
        return server;
    }

    private string Data => Path.Combine(_directory, "data");

    public void Stop() => Pg("pg_ctl", ["-D", Data, "-m", "fast", "-w", "stop"]);

    public void StartServer() =>
        Pg("pg_ctl", ["-D", Data, "-w", "-l", Path.Combine(_directory, "server.log"), "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"]);

    /// <summary>Restarts the server the way an operator would for maintenance: fast shutdown (sessions terminated), then start.</summary>
    public void Restart()
    {
        Stop();
        StartServer();
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    private void Pg(string tool, string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        if (_asPostgresUser)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static void Run(string file, string[] arguments) => Run(file, arguments, CommandGuard);

    private static void Run(string file, string[] arguments, TimeSpan guard)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(guard))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} did not finish within {guard}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}");
        }
    }

    /// <summary>
    /// Finds PostgreSQL's binaries, installing Debian's package first when they are missing and this runs as root with
    /// apt-get (a fresh CI machine), so the README's test command needs nothing set up by hand.
    /// </summary>
    private static string FindBinaries()
    {
        if (TryFindBinaries() is { } found)
        {
            return found;
        }

        if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            lock (InstallLock)
            {
                if (TryFindBinaries() is null)
                {
                    Environment.SetEnvironmentVariable("DEBIAN_FRONTEND", "noninteractive");
                    Run("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(10));
                    Run("apt-get", ["install", "-y", "-qq", "postgresql"], TimeSpan.FromMinutes(10));
                }
            }
        }

        return TryFindBinaries()
            ?? throw new InvalidOperationException("PostgreSQL's binaries were not found under /usr/lib/postgresql/*/bin. Install them: apt-get update && apt-get install -y postgresql (.ci/run does, and so do the tests when run as root).");
    }

    private static string? TryFindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        return versions.Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
