using System.Text;
using System.Xml;
using Taskmaster.Daemon.Control.XmlRpc;

namespace Taskmaster.Tests.Control.XmlRpc;

/// <summary>The XML-RPC codec alone: what Python's xmlrpc.client sends parses, replies are byte-identical to
/// supervisord's, and hostile bodies end as one parse error, never a crash, a hang or an expansion.</summary>
public sealed class XmlRpcCodecTests
{
    private static XmlRpcCall Parse(string xml) => XmlRpcRequestReader.Parse(Encoding.UTF8.GetBytes(xml));

    [Fact]
    public void Parses_what_python_xmlrpc_client_sends()
    {
        // Byte for byte what xmlrpc.client.dumps(('g:*', True, 5, [1, 'x'], {'a': 1}), 'supervisor.startProcess') writes.
        var call = Parse("<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.startProcess</methodName>\n<params>\n"
            + "<param>\n<value><string>g:*</string></value>\n</param>\n"
            + "<param>\n<value><boolean>1</boolean></value>\n</param>\n"
            + "<param>\n<value><int>5</int></value>\n</param>\n"
            + "<param>\n<value><array><data>\n<value><int>1</int></value>\n<value><string>x</string></value>\n</data></array></value>\n</param>\n"
            + "<param>\n<value><struct>\n<member>\n<name>a</name>\n<value><int>1</int></value>\n</member>\n</struct></value>\n</param>\n"
            + "</params>\n</methodCall>\n");
        Assert.Equal("supervisor.startProcess", call.MethodName);
        Assert.Equal(new XmlRpcString("g:*"), call.Params[0]);
        Assert.Equal(XmlRpcBoolean.True, call.Params[1]);
        Assert.Equal(new XmlRpcInt(5), call.Params[2]);
        var array = Assert.IsType<XmlRpcArray>(call.Params[3]);
        Assert.Equal([new XmlRpcInt(1), new XmlRpcString("x")], array.Items);
        Assert.Equal(new XmlRpcInt(1), Assert.IsType<XmlRpcStruct>(call.Params[4])["a"]);
    }

    [Theory]
    [InlineData("<value>bare text</value>", "bare text")]
    [InlineData("<value></value>", "")]
    [InlineData("<value/>", "")]
    [InlineData("<value><string/></value>", "")]
    [InlineData("<value><string>\n</string></value>", "\n")]
    [InlineData("<value><string>  a &amp; b &lt;c&gt; </string></value>", "  a & b <c> ")]
    [InlineData("<value><string><![CDATA[x<y]]></string></value>", "x<y")]
    [InlineData("<value><unknowntype>kept</unknowntype></value>", "kept")]
    public void Strings_are_read_as_leniently_as_supervisord(string value, string expected)
    {
        var call = Parse($"<methodCall><methodName>m</methodName><params><param>{value}</param></params></methodCall>");
        Assert.Equal(new XmlRpcString(expected), call.Params[0]);
    }

    [Theory]
    [InlineData("<i4>-7</i4>", -7L)]
    [InlineData("<i8>9000000000</i8>", 9000000000L)]
    [InlineData("<int> 42 </int>", 42L)]
    public void Integers_of_every_spelling(string value, long expected) =>
        Assert.Equal(new XmlRpcInt(expected), Parse($"<methodCall><methodName>m</methodName><params><param><value>{value}</value></param></params></methodCall>").Params[0]);

    [Fact]
    public void Other_types_parse()
    {
        var call = Parse("<methodCall><methodName>m</methodName><params>"
            + "<param><value><boolean>true</boolean></value></param>"
            + "<param><value><boolean>0</boolean></value></param>"
            + "<param><value><double>1.5</double></value></param>"
            + "<param><value><dateTime.iso8601>20260101T00:00:00</dateTime.iso8601></value></param>"
            + "<param><value><base64>aGk=</base64></value></param>"
            + "<param><value><nil/></value></param>"
            + "<param><value><ex:nil xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'/></value></param>"
            + "</params></methodCall>");
        Assert.Equal(XmlRpcBoolean.True, call.Params[0]);
        Assert.Equal(XmlRpcBoolean.False, call.Params[1]);
        Assert.Equal(new XmlRpcDouble(1.5), call.Params[2]);
        Assert.Equal(new XmlRpcDateTime("20260101T00:00:00"), call.Params[3]);
        Assert.Equal("hi"u8.ToArray(), Assert.IsType<XmlRpcBase64>(call.Params[4]).Bytes);
        Assert.Same(XmlRpcNil.Instance, call.Params[5]);
        Assert.Same(XmlRpcNil.Instance, call.Params[6]);
    }

    [Fact]
    public void A_missing_params_element_means_no_arguments() =>
        Assert.Empty(Parse("<methodCall><methodName>supervisor.getState</methodName></methodCall>").Params);

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<methodCall/>")]
    [InlineData("<methodCall><params/></methodCall>")]
    [InlineData("<methodCall><methodName></methodName></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><int>x</int></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><int>99999999999999999999</int></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><boolean>maybe</boolean></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><base64>!!</base64></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><string><b/></string></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><struct><member><name>a</name></member></struct></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><string>x</string>")]
    [InlineData("<methodCall><methodName>m</methodName><params><param><value><x:nil/></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>m</methodName></methodCall><extra/>")]
    public void Malformed_requests_are_one_parse_error(string xml) =>
        Assert.Throws<XmlRpcParseException>(() => Parse(xml));

    [Fact]
    public void Invalid_utf8_is_a_parse_error() =>
        Assert.Throws<XmlRpcParseException>(() => XmlRpcRequestReader.Parse(
            [.. "<methodCall><methodName>"u8, 0xC3, 0x28, 0xFF, .. "</methodName></methodCall>"u8]));

    [Fact]
    public void A_dtd_is_refused_so_entities_never_expand()
    {
        var laughs = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (var i = 1; i < 10; i++)
            laughs.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : i - 1)};", 10))}\">");
        laughs.Append("]><methodCall><methodName>&lol9;</methodName></methodCall>");
        var e = Assert.Throws<XmlRpcParseException>(() => Parse(laughs.ToString()));
        Assert.IsType<XmlException>(e.InnerException);
    }

    [Fact]
    public void An_external_entity_is_never_fetched()
    {
        var secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "secret");
            var xml = $"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file://{secret}\">]><methodCall><methodName>&xxe;</methodName></methodCall>";
            Assert.Throws<XmlRpcParseException>(() => Parse(xml));
        }
        finally { File.Delete(secret); }
    }

    [Fact]
    public void Deep_nesting_stops_at_the_limit_without_recursing_further()
    {
        const int depth = 100_000;
        var xml = new StringBuilder("<methodCall><methodName>m</methodName><params><param>");
        for (var i = 0; i < depth; i++) xml.Append("<value><array><data>");
        for (var i = 0; i < depth; i++) xml.Append("</data></array></value>");
        xml.Append("</param></params></methodCall>");
        var e = Assert.Throws<XmlRpcParseException>(() => Parse(xml.ToString()));
        Assert.Contains("nested deeper", e.Message);

        var ok = new StringBuilder("<methodCall><methodName>m</methodName><params><param>");
        for (var i = 0; i < XmlRpcRequestReader.MaxDepth; i++) ok.Append("<value><array><data>");
        for (var i = 0; i < XmlRpcRequestReader.MaxDepth; i++) ok.Append("</data></array></value>");
        ok.Append("</param></params></methodCall>");
        Assert.IsType<XmlRpcArray>(Parse(ok.ToString()).Params[0]);
    }

    [Fact]
    public void A_huge_string_is_refused()
    {
        var xml = $"<methodCall><methodName>m</methodName><params><param><value><string>{new string('a', XmlRpcRequestReader.MaxStringChars + 1)}</string></value></param></params></methodCall>";
        Assert.Throws<XmlRpcParseException>(() => Parse(xml));
    }

    [Fact]
    public void Success_is_byte_identical_to_python_dumps()
    {
        // xmlrpc.client.dumps(({'name': 'a&b', 'pid': 7, 'ok': True, 'list': ['x']},), methodresponse=True)
        var value = new XmlRpcStruct([
            new("name", new XmlRpcString("a&b")), new("pid", new XmlRpcInt(7)),
            new("ok", XmlRpcBoolean.True), new("list", new XmlRpcArray([new XmlRpcString("x")])),
        ]);
        Assert.Equal("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n"
            + "<member>\n<name>name</name>\n<value><string>a&amp;b</string></value>\n</member>\n"
            + "<member>\n<name>pid</name>\n<value><int>7</int></value>\n</member>\n"
            + "<member>\n<name>ok</name>\n<value><boolean>1</boolean></value>\n</member>\n"
            + "<member>\n<name>list</name>\n<value><array><data>\n<value><string>x</string></value>\n</data></array></value>\n</member>\n"
            + "</struct></value>\n</param>\n</params>\n</methodResponse>\n",
            Encoding.UTF8.GetString(XmlRpcResponseWriter.Success(value)));
    }

    [Fact]
    public void Fault_is_byte_identical_to_python_dumps() =>
        Assert.Equal("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n"
            + "<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n"
            + "<member>\n<name>faultString</name>\n<value><string>BAD_NAME: foo</string></value>\n</member>\n"
            + "</struct></value>\n</fault>\n</methodResponse>\n",
            Encoding.UTF8.GetString(XmlRpcResponseWriter.Fault(10, XmlRpcFault.FaultString(10, "foo"))));

    [Fact]
    public void Ints_are_clamped_to_32_bits() =>
        Assert.Contains("<int>2147483647</int>", Encoding.UTF8.GetString(XmlRpcResponseWriter.Success(new XmlRpcInt(1L << 40))));

    [Fact]
    public void Characters_xml_cannot_carry_are_replaced_and_the_reply_parses()
    {
        var nasty = "a\u0000b\u001b[31mc\uFFFEd\uD800e\u00e9\U0001F600\tf\n";
        var reply = XmlRpcResponseWriter.Success(new XmlRpcString(nasty));
        var doc = new XmlDocument();
        doc.LoadXml(Encoding.UTF8.GetString(reply));
        Assert.Equal("a\uFFFDb\uFFFD[31mc\uFFFDd\uFFFDe\u00e9\U0001F600\tf\n", doc.SelectSingleNode("//string")!.InnerText);
    }
}
