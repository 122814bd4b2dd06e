package dev.longshore.video.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.video.storage.FileLocation;
import dev.longshore.video.storage.HttpLocation;
import dev.longshore.video.storage.S3Location;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TranscodeRequestParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TranscodeRequestParser parser = new TranscodeRequestParser(6);

    private static ObjectNode payload(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
    }

    private static ObjectNode withInput(String input) {
        ObjectNode p = JSON.createObjectNode();
        p.put("input", input);
        p.put("output", "file:///srv/out/job/");
        return p;
    }

    @Test
    void minimalPayloadGetsDefaults() throws Exception {
        TranscodeRequest r = parser.parse(payload("{'input':'s3://uploads/raw/a.mov','output':'s3://media/hls/a'}"));
        assertEquals(new S3Location("uploads", "raw/a.mov"), r.input());
        assertEquals(new S3Location("media", "hls/a/"), r.output(), "output prefixes end with /");
        assertTrue(r.renditions().isEmpty());
        assertEquals(6, r.segmentSeconds());
        assertTrue(r.thumbnail().isEmpty());
    }

    @Test
    void fullPayloadIsParsedIntoNumbers() throws Exception {
        TranscodeRequest r = parser.parse(payload("{'input':'https://cdn.example.com/v/a.mp4?sig=secret',"
                + "'output':'file:///srv/out/a/','renditions':[{'height':720,'bitrate':'2800k'},"
                + "{'height':360,'bitrate':800000,'audioBitrate':'96k'},{'height':240,'bitrate':'1.5M'}],"
                + "'segmentSeconds':4,'thumbnail':{'atSeconds':2.5,'height':180}}"));
        assertTrue(r.input() instanceof HttpLocation);
        assertEquals("https://cdn.example.com", r.input().display(), "neither the signature nor the path shows in logs");
        assertEquals(new FileLocation(Path.of("/srv/out/a")), r.output());
        assertEquals(List.of(new RenditionSpec(720, 2_800_000, 128_000), new RenditionSpec(360, 800_000, 96_000),
                new RenditionSpec(240, 1_500_000, 128_000)), r.renditions().orElseThrow());
        assertEquals(4, r.segmentSeconds());
        assertEquals(2.5, r.thumbnail().orElseThrow().atSeconds().orElseThrow());
        assertEquals(180, r.thumbnail().orElseThrow().height());
    }

    @Test
    void thumbnailTrueUsesDefaults() throws Exception {
        TranscodeRequest r = parser.parse(payload("{'input':'file:///a.mp4','output':'file:///o/','thumbnail':true}"));
        assertEquals(ThumbnailSpec.DEFAULT_HEIGHT, r.thumbnail().orElseThrow().height());
        assertTrue(r.thumbnail().orElseThrow().atSeconds().isEmpty());
    }

    /** Strings ffmpeg would read as options, pipes, protocol chains or inline data never become a location. */
    @ParameterizedTest
    @ValueSource(strings = {"-i", "-y", "-filter_complex", "-f lavfi", "pipe:0", "pipe:", "concat:/a.mp4|/etc/passwd",
            "subfile,,start,0,end,100,,:/etc/passwd", "data:video/mp4;base64,AAAA", "tcp://127.0.0.1:9/",
            "ftp://example.com/a.mp4", "gopher://x/", "/etc/passwd", "relative/a.mp4", "file://otherhost/a.mp4",
            "s3://UPPER/key", "s3://bucket/", "hls+http://example.com/a.m3u8", "crypto:file:/a.mp4", "file:///a.mp4\n-y"})
    void optionAndProtocolInjectionIsRefused(String input) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(withInput(input)));
        assertTrue(e.getMessage().startsWith("input"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/out/", "pipe:1", "-f", "s3://bucket/a/../b/", "file:///x?y=1"})
    void outputsAreFileOrS3PrefixesOnly(String output) {
        ObjectNode p = JSON.createObjectNode();
        p.put("input", "file:///a.mp4");
        p.put("output", output);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(p));
        assertTrue(e.getMessage().startsWith("output"), e.getMessage());
    }

    @Test
    void fileUrisAreNormalisedAbsolutePaths() throws Exception {
        TranscodeRequest r = parser.parse(payload("{'input':'file:///srv/in/../in/-y.mp4','output':'file:///srv/-out'}"));
        assertEquals(new FileLocation(Path.of("/srv/in/-y.mp4")), r.input());
        assertEquals(new FileLocation(Path.of("/srv/-out")), r.output());
    }

    @Test
    void unknownFieldIsNamed() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> parser.parse(payload("{'input':'file:///a.mp4','output':'file:///o/','rendition':[]}")));
        assertTrue(e.getMessage().contains("'rendition'"), e.getMessage());
    }

    @Test
    void missingInputIsNamed() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> parser.parse(payload("{'output':'file:///o/'}")));
        assertEquals("input is required", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'height':721,'bitrate':'1M'}", "{'height':8000,'bitrate':'1M'}", "{'height':720}",
            "{'height':720,'bitrate':'fast'}", "{'height':720,'bitrate':'1M -preset placebo'}",
            "{'height':720,'bitrate':10}", "{'height':'720','bitrate':'1M'}", "{'height':720,'bitrate':'1M','x':1}"})
    void badRenditionIsRefusedWithItsIndex(String rendition) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(
                payload("{'input':'file:///a.mp4','output':'file:///o/','renditions':[" + rendition + "]}")));
        assertTrue(e.getMessage().startsWith("renditions[0]"), e.getMessage());
    }

    @Test
    void duplicateHeightsAreRefused() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(payload(
                "{'input':'file:///a.mp4','output':'file:///o/','renditions':[{'height':360,'bitrate':'1M'},"
                        + "{'height':360,'bitrate':'2M'}]}")));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    }

    @Test
    void segmentSecondsMustBeAWholeNumberInRange() {
        for (String s : List.of("0", "61", "2.5", "'6'")) {
            assertThrows(InvalidRequestException.class, () -> parser.parse(
                    payload("{'input':'file:///a.mp4','output':'file:///o/','segmentSeconds':" + s + "}")), s);
        }
    }
}
