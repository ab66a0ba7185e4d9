namespace EventSourcing.Domain.Game;

/// <summary>Set-like and counter-like updates that appliers share (events may repeat a fact: apply it once).</summary>
public static class Collections
{
    /// <summary>Adds the value unless it is already there (a list keeps the order in which members arrived).</summary>
    public static void AddOnce(this List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    /// <summary>Adds <paramref name="amount"/> to the counter under <paramref name="key"/>; a counter at 0 or below is removed.</summary>
    public static void AddTo(this Dictionary<string, long> counters, string key, long amount)
    {
        var value = counters.GetValueOrDefault(key) + amount;
        if (value > 0)
        {
            counters[key] = value;
        }
        else
        {
            counters.Remove(key);
        }
    }
}
