using System.Globalization;
using System.Text;
using System.Text.Json;
using Ergate.Jobs;
using Xunit;

namespace Ergate.Tests.Jobs;

public sealed class JsonCanonicalizerTests
{
    private static string Canonicalize(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return JsonCanonicalizer.Canonicalize(document.RootElement);
    }

    private static string CanonicalizeString(string value)
    {
        // JsonSerializer escapes non-ASCII and controls as \uXXXX, so this also goes through unescaping.
        return Canonicalize(JsonSerializer.Serialize(value));
    }

    [Fact]
    public void Canonicalize_IntegerAndDouble_AreEqual()
    {
        string integer = Canonicalize("{\"n\":1}");

        Assert.Equal("{\"n\":1}", integer);
        Assert.Equal(integer, Canonicalize("{\"n\":1.0}"));
        Assert.Equal(integer, Canonicalize("{\"n\":1e0}"));
        Assert.Equal(integer, Canonicalize("{\"n\":10E-1}"));
        Assert.Equal(integer, Canonicalize("{\"n\":0.1e1}"));
    }

    [Fact]
    public void Canonicalize_NumberAndNumericString_Differ()
    {
        Assert.Equal("{\"n\":1}", Canonicalize("{\"n\":1}"));
        Assert.Equal("{\"n\":\"1\"}", Canonicalize("{\"n\":\"1\"}"));
        Assert.NotEqual(Canonicalize("{\"n\":1}"), Canonicalize("{\"n\":\"1\"}"));
    }

    [Fact]
    public void Canonicalize_Rfc8785SortingExample_SortsByUtf16CodeUnits()
    {
        // RFC 8785 section 3.2.3: U+1F600 (a surrogate pair, D83D DE00) sorts before U+FB33 by code unit.
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        const string expected =
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"," +
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\"," +
            "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";

        Assert.Equal(expected, Canonicalize(input));
    }

    [Fact]
    public void Canonicalize_SurrogatePairKey_SortsBeforeHighBmpKey()
    {
        // By code point U+1F600 > U+FFFD, but by UTF-16 code unit 0xD83D < 0xFFFD.
        string actual = Canonicalize("{\"\\ufffd\":2,\"\\ud83d\\ude00\":1,\"\\ue000\":3,\"\\ud7ff\":0}");

        Assert.Equal("{\"\ud7ff\":0,\"\ud83d\ude00\":1,\"\ue000\":3,\"\ufffd\":2}", actual);
    }

    [Fact]
    public void Canonicalize_AsciiKeys_SortOrdinallyNotByCulture()
    {
        string actual = Canonicalize("{\"b\":1,\"a\":2,\"B\":3,\"_\":4,\"aa\":5,\"\":6,\"\u00e9\":7,\"A\":8}");

        Assert.Equal("{\"\":6,\"A\":8,\"B\":3,\"_\":4,\"a\":2,\"aa\":5,\"b\":1,\"\u00e9\":7}", actual);
    }

    [Theory]
    [InlineData("\"", "\"\\\"\"")]
    [InlineData("\\", "\"\\\\\"")]
    [InlineData("\b", "\"\\b\"")]
    [InlineData("\t", "\"\\t\"")]
    [InlineData("\n", "\"\\n\"")]
    [InlineData("\f", "\"\\f\"")]
    [InlineData("\r", "\"\\r\"")]
    [InlineData("\u0000", "\"\\u0000\"")]
    [InlineData("\u000b", "\"\\u000b\"")]
    [InlineData("\u001b", "\"\\u001b\"")]
    [InlineData("\u001f", "\"\\u001f\"")]
    [InlineData(" ", "\" \"")]
    [InlineData("/", "\"/\"")]
    [InlineData("'<>&+", "\"'<>&+\"")]
    [InlineData("\u007f", "\"\u007f\"")]
    [InlineData("\u0080\u00e9\u20ac", "\"\u0080\u00e9\u20ac\"")]
    [InlineData("\u2028\u2029", "\"\u2028\u2029\"")]
    [InlineData("\ud83d\ude00", "\"\ud83d\ude00\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b\\c\nd\u0001e", "\"a\\\"b\\\\c\\nd\\u0001e\"")]
    public void Canonicalize_String_EscapesLikeJsonStringify(string value, string expected)
    {
        Assert.Equal(expected, CanonicalizeString(value));
    }

    [Theory]
    [InlineData("\"\\/\"", "\"/\"")]
    [InlineData("\"\\u0041\\u00E9\"", "\"A\u00e9\"")]
    [InlineData("\"\\u001F\"", "\"\\u001f\"")]
    [InlineData("\"\\u2028\"", "\"\u2028\"")]
    [InlineData("\"\\uD83D\\uDE00\"", "\"\ud83d\ude00\"")]
    public void Canonicalize_EscapedJsonText_RewritesEscapes(string json, string expected)
    {
        Assert.Equal(expected, Canonicalize(json));
    }

    [Fact]
    public void Canonicalize_MemberNames_AreEscapedLikeStrings()
    {
        // Sorted by the unescaped names: U+0001 < U+000A < U+0022.
        Assert.Equal("{\"\\u0001\":3,\"\\n\":1,\"\\\"\":2}", Canonicalize("{\"\\\"\":2,\"\\n\":1,\"\\u0001\":3}"));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("1.0", "1")]
    [InlineData("-1", "-1")]
    [InlineData("1E+2", "100")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("-1e21", "-1e+21")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("-1e-7", "-1e-7")]
    [InlineData("123.456e5", "12345600")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("0.1", "0.1")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("1E30", "1e+30")]
    [InlineData("4.50", "4.5")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("1e15", "1000000000000000")]
    [InlineData("1.5e300", "1.5e+300")]
    [InlineData("1.25e-10", "1.25e-10")]
    [InlineData("0.1e-5", "0.000001")]
    [InlineData("1e-400", "0")]
    [InlineData("-1e-400", "0")]
    public void Canonicalize_Number_WritesEcmaScriptForm(string json, string expected)
    {
        Assert.Equal(expected, Canonicalize(json));
    }

    // RFC 8785 appendix B: IEEE-754 bit patterns and their canonical text (NaN and Infinity left out,
    // as they cannot occur in JSON).
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Canonicalize_Rfc8785AppendixNumber_MatchesExpected(string ieeeHex, string expected)
    {
        double value = BitConverter.Int64BitsToDouble(long.Parse(ieeeHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        string json = value.ToString("R", CultureInfo.InvariantCulture);

        Assert.Equal(expected, Canonicalize(json));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("[1,{\"a\":1e400}]")]
    public void Canonicalize_NumberTooLargeForDouble_ThrowsFormatException(string json)
    {
        var exception = Assert.Throws<FormatException>(() => Canonicalize(json));

        Assert.Contains("1e400", exception.Message, StringComparison.Ordinal);
        Assert.Contains("double", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_Rfc8785Example_MatchesRfcOutput()
    {
        // RFC 8785 section 3.2.2 input and its canonical form.
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected =
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27]," +
            "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        Assert.Equal(expected, Canonicalize(input));
    }

    [Fact]
    public void Canonicalize_NestedObjectsAndArrays_SortsEveryObjectAndKeepsArrayOrder()
    {
        const string input = "{\"b\":[{\"z\":1,\"y\":[3,{\"d\":null,\"c\":true}]},[2,1]],\"a\":{\"y\":2,\"x\":{}}}";

        string actual = Canonicalize(input);

        Assert.Equal("{\"a\":{\"x\":{},\"y\":2},\"b\":[{\"y\":[3,{\"c\":true,\"d\":null}],\"z\":1},[2,1]]}", actual);
    }

    [Fact]
    public void Canonicalize_Whitespace_IsRemoved()
    {
        const string input = " \r\n\t{ \"b\" :\t[ 3 ,\n1 , 2 ] ,\r\n  \"a\" : { } , \"c\" : [ ] , \"d\" : \"  keep  me \" }\n ";

        Assert.Equal("{\"a\":{},\"b\":[3,1,2],\"c\":[],\"d\":\"  keep  me \"}", Canonicalize(input));
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData("[ ]", "[]")]
    [InlineData("{ }", "{}")]
    [InlineData("[null,true,false,\"\",0]", "[null,true,false,\"\",0]")]
    public void Canonicalize_LiteralsAndEmptyContainers_WrittenAsIs(string json, string expected)
    {
        Assert.Equal(expected, Canonicalize(json));
    }

    [Fact]
    public void Canonicalize_DifferentSpellingsOfOneValue_AreEqual()
    {
        string first = Canonicalize("{\"b\":[1.0,\"\\u00e9\"],\"a\":{\"y\":1e2,\"x\":-0}}");
        string second = Canonicalize("{ \"a\" : { \"x\" : 0 , \"y\" : 100 } , \"b\" : [ 1 , \"\u00e9\" ] }");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Canonicalize_CanonicalText_IsFixedPoint()
    {
        string once = Canonicalize("{\"z\":[1e21,0.5,\"\\u0007\\u2028\"],\"a\":{\"\\ud83d\\ude00\":true,\"\\ufb33\":null}}");

        Assert.Equal(once, Canonicalize(once));
    }

    [Fact]
    public void Canonicalize_DuplicateMemberNames_ThrowsFormatException()
    {
        var exception = Assert.Throws<FormatException>(() => Canonicalize("{\"a\":1,\"b\":2,\"a\":1}"));

        Assert.Contains("\"a\"", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"a\\udc00b\"")]
    [InlineData("{\"\\ud83d\":1}")]
    public void Canonicalize_LoneSurrogate_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => Canonicalize(json));
    }

    [Fact]
    public void Canonicalize_UndefinedElement_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => JsonCanonicalizer.Canonicalize(default(JsonElement)));
    }

    [Fact]
    public void Canonicalize_StringBuilderOverload_AppendsCanonicalText()
    {
        using JsonDocument document = JsonDocument.Parse("{\"b\":2,\"a\":[1.50]}");
        var builder = new StringBuilder("prefix:");

        JsonCanonicalizer.Canonicalize(document.RootElement, builder);

        Assert.Equal("prefix:{\"a\":[1.5],\"b\":2}", builder.ToString());
    }

    [Fact]
    public void Canonicalize_SerializedElement_SortsMembers()
    {
        JsonElement element = JsonSerializer.SerializeToElement(new { Zeta = 2.5, Alpha = "x", Mid = new[] { 3, 1 } });

        Assert.Equal("{\"Alpha\":\"x\",\"Mid\":[3,1],\"Zeta\":2.5}", JsonCanonicalizer.Canonicalize(element));
    }

    [Fact]
    public void Canonicalize_CultureWithOtherNumberSigns_WritesInvariantNumbers()
    {
        CultureInfo original = CultureInfo.CurrentCulture;
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NegativeSign = "\u2212";
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.PositiveSign = "(+)";
        try
        {
            CultureInfo.CurrentCulture = culture;

            Assert.Equal("[-1,-1.5,1e+21,-1e-7,1234.5]", Canonicalize("[-1,-1.5,1e21,-1e-7,1234.5]"));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void Canonicalize_DeepNesting_Succeeds()
    {
        const int depth = 500;
        string json = new string('[', depth) + "1.0" + new string(']', depth);
        using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = depth + 1 });

        string actual = JsonCanonicalizer.Canonicalize(document.RootElement);

        Assert.Equal(new string('[', depth) + "1" + new string(']', depth), actual);
    }
}
