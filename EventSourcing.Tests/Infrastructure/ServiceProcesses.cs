namespace EventSourcing.Tests.Infrastructure;

/// <summary>The services' own processes: the orchestrator knows each one's launcher (dotnet), the service is its child.</summary>
public static class ServiceProcesses
{
    /// <summary>The EventSourcing.* process among <paramref name="launcher"/> and its descendants.</summary>
    public static int Find(int launcher)
    {
        var parents = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Select(pid => (Pid: pid, Parent: Stat(pid) is { } stat ? int.Parse(stat[1], System.Globalization.CultureInfo.InvariantCulture) : -1))
            .ToList();
        var family = new List<int> { launcher };
        for (var i = 0; i < family.Count; i++)
        {
            family.AddRange(parents.Where(p => p.Parent == family[i]).Select(p => p.Pid));
        }

        return family.First(pid => File.ReadAllText($"/proc/{pid}/comm").StartsWith("EventSourcing.", StringComparison.Ordinal));
    }

    /// <summary>The fields of /proc/pid/stat after the command name (state, ppid, ...), or null when it is gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static long CpuTicks(int pid)
    {
        var fields = Stat(pid)!;
        // utime and stime, fields 14 and 15 of stat (12 and 13 after the command name).
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Sends a signal (STOP, CONT, ...) with kill(1): .NET has no API for the ones a test freezes a process with. No
    /// assertion here (it may run in a finally): the test asserts what the signal did.
    /// </summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
