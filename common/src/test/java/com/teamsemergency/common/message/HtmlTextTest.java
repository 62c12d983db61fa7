package com.teamsemergency.common.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlTextTest {

    @Test
    void rendersTheEmergencyMessageAsLines() {
        String html = "<p><strong>Dana Whitfield</strong> has placed an Emergency Call to 911.</p>"
                + "<p>Location: Building 2, Floor 3</p><p>Callback number: +1 217 555 0142</p>";

        assertEquals("Dana Whitfield has placed an Emergency Call to 911.\nLocation: Building 2, Floor 3\n"
                + "Callback number: +1 217 555 0142", HtmlText.toPlainText(html));
    }

    @Test
    void decodesNamedEntities() {
        assertEquals("a & b < c > d \" e ' f", HtmlText.toPlainText("a &amp; b &lt; c &gt; d &quot; e &apos; f"));
        assertEquals("café © 5 °C ½ Straße ü",
                HtmlText.toPlainText("caf&eacute; &copy; 5 &deg;C &frac12; Stra&szlig;e &uuml;"));
        assertEquals("x – y — z’s", HtmlText.toPlainText("x &ndash; y &mdash; z&rsquo;s"));
    }

    @Test
    void decodesNumericEntities() {
        assertEquals("A A é 😀", HtmlText.toPlainText("&#65; &#x41; &#233; &#x1F600;"));
        assertEquals("\uFFFD \uFFFD \uFFFD", HtmlText.toPlainText("&#0; &#xD800; &#x110000;"));
    }

    @Test
    void keepsWhatIsNotAnEntity() {
        assertEquals("AT&T &unknown; & ; &#; &#xZZ; &amp", HtmlText.toPlainText("AT&T &unknown; & ; &#; &#xZZ; &amp"));
        assertEquals("&&&", HtmlText.toPlainText("&&&"));
    }

    @Test
    void turnsNonBreakingSpacesIntoOrdinarySpaces() {
        assertEquals("Location: Building 2", HtmlText.toPlainText("Location:&nbsp;&nbsp;Building\u00A02"));
    }

    @Test
    void removesNestedTags() {
        assertEquals("Call now please",
                HtmlText.toPlainText("<div><span><b><i>Call</i> <a href=\"x\">now</a></b></span> please</div>"));
    }

    @Test
    void breaksLinesAtBlockElementsAndDropsBlankLines() {
        String html = "<h1>Title</h1>one<br>two<br/>three<BR />four<ul><li>a</li><li>b</li></ul>"
                + "<table><tr><td>c1</td><td>c2</td></tr></table><div></div><p>  </p>end";

        assertEquals("Title\none\ntwo\nthree\nfour\na\nb\nc1 c2\nend", HtmlText.toPlainText(html));
    }

    @Test
    void treatsSourceLineBreaksAsSpaces() {
        assertEquals("one two\nthree", HtmlText.toPlainText("one\r\ntwo<br>\n  three\n"));
    }

    @Test
    void dropsScriptStyleAndComments() {
        String html = "before<script type=\"text/javascript\">var x = '<p>not text</p>';</script>"
                + "<style>p { color: red; }</style><!-- <p>hidden</p> -->after<SCRIPT>x</SCRIPT >!";

        assertEquals("beforeafter!", HtmlText.toPlainText(html));
    }

    @Test
    void honoursQuotedGreaterThanInAttributes() {
        assertEquals("shown", HtmlText.toPlainText("<a title=\"a > b\" data-x='c>d'>shown</a>"));
    }

    @Test
    void keepsLessThanSignsThatStartNoTag() {
        assertEquals("1 < 2 and 3 <= 4 <3", HtmlText.toPlainText("1 < 2 and 3 <= 4 <3"));
    }

    @Test
    void dropsAnUnclosedTagAtTheEnd() {
        assertEquals("text", HtmlText.toPlainText("text<a href=\"x"));
        assertEquals("text", HtmlText.toPlainText("text<p"));
        assertEquals("text", HtmlText.toPlainText("text<script>never closed"));
        assertEquals("text", HtmlText.toPlainText("text<!-- never closed"));
        assertEquals("<", HtmlText.toPlainText("<"));
    }

    @Test
    void toleratesUnclosedElements() {
        assertEquals("one\ntwo", HtmlText.toPlainText("<p>one<p>two"));
        assertEquals("bold", HtmlText.toPlainText("<b>bold"));
    }

    @Test
    void returnsEmptyTextForNothing() {
        assertEquals("", HtmlText.toPlainText(null));
        assertEquals("", HtmlText.toPlainText(""));
        assertEquals("", HtmlText.toPlainText("<p></p><br><div> &nbsp; </div>"));
    }

    // The timeout only guards against a hang: a linear pass over 2 MB takes milliseconds.
    @ParameterizedTest
    @ValueSource(strings = {"<", "<a ", "<a '", "<a \"", "</", "<!--", "<!", "&", "&#", "&#x", "&amp", "<script>",
        "</script", "<p>", "<a href='>'>", " \u00A0", "<<a", "&lt;"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void survivesTwoMegabytesOfHostileMarkup(String unit) {
        String hostile = unit.repeat(2 * 1024 * 1024 / unit.length());

        String text = HtmlText.toPlainText(hostile);

        assertNotNull(text);
        assertTrue(text.length() <= hostile.length());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void keepsTwoMegabytesOfLessThanSignsAsText() {
        String hostile = "<".repeat(2 * 1024 * 1024);

        assertEquals(hostile, HtmlText.toPlainText(hostile));
    }

    @Test
    void dropsSoftHyphensAndZeroWidthCharactersInsideWords() {
        assertEquals("has placed an Emergency Call", HtmlText.toPlainText("has placed an Emer&shy;gen\u200Bcy Call"));
    }

    @Test
    void composesDecomposedLettersSoThatLocalisedMarkersMatch() {
        assertEquals("hat einen Notruf get\u00e4tigt", HtmlText.toPlainText("hat einen Notruf geta\u0308tigt"));
    }
}
