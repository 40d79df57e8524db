package io.coedit.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.coedit.support.NodeScript;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The members endpoint must name the colour the editor really draws a user in. */
class UserColorsTest {

    @Test
    void everyUserGetsTheColourTheWebEditorGivesThem() throws Exception {
        NodeScript.assumeInstalled();
        Random random = new Random(7);
        List<String> ids = new ArrayList<>(List.of("alice", "dev-1f2e3d", "Zoë 🎉", "", "x".repeat(300)));
        IntStream.range(0, 200).forEach(i -> ids.add(Long.toString(random.nextLong(), 36) + "\u00e9\ud83d\ude00"));
        String script = "import { colorFor } from './presence.js';"
                + " console.log(JSON.stringify(JSON.parse(process.argv[1]).map(colorFor)));";
        NodeScript.Result result = NodeScript.run(
                Duration.ofSeconds(30), "--input-type=module", "-e", script, WsClient.JSON.writeValueAsString(ids));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> expected = List.of(WsClient.JSON.readValue(result.stdout(), String[].class));

        assertThat(ids.stream().map(UserColors::of).toList()).isEqualTo(expected);
        assertThat(expected.stream().distinct().count())
                .as("the ids spread over many hues")
                .isGreaterThan(100);
    }
}
