package io.sipai.edge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** G.711 mu-law against the reference values of the Twilio protocol sheet (checked against Python audioop). */
class MuLawTest {

    @Test
    void decodesTheReferenceCodes() {
        assertThat(MuLaw.decode((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(MuLaw.decode((byte) 0x7F)).isEqualTo((short) 0);
        assertThat(MuLaw.decode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(MuLaw.decode((byte) 0xFF)).isEqualTo((short) 0);
    }

    @Test
    void encodesTheReferenceSamples() {
        assertThat(MuLaw.encode((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(MuLaw.encode((short) 1000)).isEqualTo((byte) 0xCE);
        assertThat(MuLaw.encode((short) -1000)).isEqualTo((byte) 0x4E);
        assertThat(MuLaw.encode(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
    }

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (int code = 0; code < 256; code++) {
            byte original = (byte) code;
            byte again = MuLaw.encode(MuLaw.decode(original));
            // 0x7F and 0xFF both decode to 0, which encodes as 0xFF.
            assertThat(MuLaw.decode(again)).as("code %d", code).isEqualTo(MuLaw.decode(original));
        }
    }

    @Test
    void encodingThenDecodingStaysWithinOneQuantisationStep() {
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s += 7) {
            int back = MuLaw.decode(MuLaw.encode((short) s));
            int step = Math.max(8, Math.abs(s) / 16);
            assertThat(Math.abs(back - Math.max(-32635, Math.min(32635, s)))).as("sample %d", s)
                    .isLessThanOrEqualTo(step + 132);
        }
    }
}
