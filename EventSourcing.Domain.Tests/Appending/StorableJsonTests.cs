namespace EventSourcing.Domain.Tests.Appending;

public sealed class StorableJsonTests
{
    private const string Nul = "contains a NUL character (\\u0000), which cannot be stored";
    private const string NotUnicode = "contains text that is not valid Unicode";

    [Fact]
    public void Ordinary_json_is_storable()
    {
        var element = JsonElement.Parse("""
            {"name":"Ниндзя 忍者 😀","levels":[1,2.5,-3e10,1e308],"nested":{"ok":true,"none":null,"emoji":"\ud83d\ude00"}}
            """);

        Assert.Null(StorableJson.FindProblem(element));
        Assert.Null(StorableJson.FindProblem(JsonElement.Parse("null")));
    }

    [Fact]
    public void A_NUL_character_anywhere_is_refused()
    {
        Assert.Equal(Nul, StorableJson.FindProblem(JsonElement.Parse("""{"a":"x\u0000"}""")));
        Assert.Equal(Nul, StorableJson.FindProblem(JsonElement.Parse("""{"a\u0000":1}""")));
        Assert.Equal(Nul, StorableJson.FindProblem(JsonElement.Parse("""{"a":[1,{"b":["ok","\u0000"]}]}""")));
        Assert.Equal(Nul, StorableJson.FindProblem(JsonElement.Parse("""["\u0000"]""")));
    }

    // Built in code: a lone surrogate in an attribute argument would be stored as U+FFFD in the assembly. An element
    // holds one only as the escape of its JSON text (UTF-8 cannot encode it), which cannot be read as a string: it is
    // refused as text that is not valid Unicode (a string built in code got "contains an unpaired UTF-16 surrogate").
    private static readonly string[] Unpaired = ["\ud800", "abc\ud800", "\ud800abc", "\udc00", "\ude00\ud83d", "ok\ud83d\ude00\udc00"];

    /// <summary>The text as a JSON string literal, each surrogate code unit written as its \u escape.</summary>
    private static string Quoted(string text) =>
        '"' + string.Concat(text.Select(c => char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString())) + '"';

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void An_unpaired_surrogate_is_refused(int sample)
    {
        var text = Quoted(Unpaired[sample]);

        Assert.Equal(NotUnicode, StorableJson.FindProblem(JsonElement.Parse($$"""{"text":{{text}}}""")));
        Assert.Equal(NotUnicode, StorableJson.FindProblem(JsonElement.Parse($$"""{{{text}}:"key"}""")));
    }

    [Fact]
    public void A_surrogate_pair_is_storable()
    {
        Assert.Null(StorableJson.FindProblem(JsonElement.Parse($$"""{{{Quoted("\ud83d\ude00")}}:{{Quoted("\ud83d\ude00\ud83c\udfae")}}}""")));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("[1,{\"deep\":1e309}]")]
    public void A_number_beyond_range_is_refused(string json)
    {
        Assert.Equal("contains a number out of range", StorableJson.FindProblem(JsonElement.Parse(json)));
    }
}
