using System.Text.Json;

namespace EventSourcing.Explorer.Diff;

public enum ChangeKind
{
    Added,
    Changed,
    Removed,
}

/// <summary>One field an event changed: its path (player.stats.level), what it held before and after (JSON text).</summary>
public sealed record FieldChange(string Path, ChangeKind Kind, string? Before, string? After);

/// <summary>
/// What an event did to an aggregate's state: the fields it added, changed and removed. Objects are compared field by
/// field; arrays and values as a whole (an inventory list that changed is one change, shown before and after).
/// </summary>
public static class StateDiff
{
    public static List<FieldChange> Compare(JsonElement before, JsonElement after)
    {
        var changes = new List<FieldChange>();
        Compare("", before, after, changes);
        return changes;
    }

    private static void Compare(string path, JsonElement before, JsonElement after, List<FieldChange> changes)
    {
        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            var old = before.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            foreach (var field in after.EnumerateObject())
            {
                var fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
                if (old.Remove(field.Name, out var previous))
                {
                    Compare(fieldPath, previous, field.Value, changes);
                }
                else if (field.Value.ValueKind != JsonValueKind.Null)
                {
                    changes.Add(new FieldChange(fieldPath, ChangeKind.Added, null, field.Value.GetRawText()));
                }
            }

            changes.AddRange(old.Where(removed => removed.Value.ValueKind != JsonValueKind.Null)
                .Select(removed => new FieldChange(path.Length == 0 ? removed.Key : $"{path}.{removed.Key}", ChangeKind.Removed, removed.Value.GetRawText(), null)));
            return;
        }

        if (JsonElement.DeepEquals(before, after))
        {
            return;
        }

        // null -> value reads as added, value -> null as removed: states keep unset fields as null.
        changes.Add(before.ValueKind == JsonValueKind.Null ? new FieldChange(path, ChangeKind.Added, null, after.GetRawText())
            : after.ValueKind == JsonValueKind.Null ? new FieldChange(path, ChangeKind.Removed, before.GetRawText(), null)
            : new FieldChange(path, ChangeKind.Changed, before.GetRawText(), after.GetRawText()));
    }
}
