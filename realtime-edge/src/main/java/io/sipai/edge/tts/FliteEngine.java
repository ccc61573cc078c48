package io.sipai.edge.tts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.sipai.edge.codec.Pcm16;
import io.sipai.edge.codec.Resampler;

/**
 * The fast offline text-to-speech: CMU Flite 2.2 (Debian's {@code flite}, its voices in the package), a process per
 * sentence, which it synthesizes whole in 13-90 ms depending on the voice (MaryTTS in-process: 236 ms of CPU per
 * sentence, docs/benchmarks.md). The text goes to flite's standard input, never on its command line (which any user
 * of the host can read), reduced to ASCII (flite reads nothing else: accents dropped, typographic punctuation made
 * plain, other characters spaced out); its WAV goes to a file in an owner-only temporary directory, read once flite
 * is done (resampled to 16 kHz when the voice is 8 kHz) and deleted. At most {@code workers} processes run at once;
 * each call's sentences are synthesized one after another ({@link SentenceQueue}).
 */
public final class FliteEngine implements TextToSpeech, AutoCloseable {

    /**
     * The voice for agents that name none or one flite does not have: kal16 (16 kHz diphones), whole sentences in
     * 13.4 ms p50 / 18.2 ms p99; the more natural slt takes 53 / 87 ms (docs/benchmarks.md).
     */
    public static final String DEFAULT_VOICE = "kal16";
    /** A sentence takes flite milliseconds; a process still running after this is stuck. */
    private static final long LIMIT_SECONDS = 30;

    private final String executable;
    private final Set<String> voices;
    private final String defaultVoice;
    private final Path directory;
    private final ExecutorService workers;

    private FliteEngine(String executable, Set<String> voices, Path directory, int workers) {
        this.executable = executable;
        this.voices = voices;
        this.defaultVoice = voices.contains(DEFAULT_VOICE) ? DEFAULT_VOICE : voices.iterator().next();
        this.directory = directory;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> Thread.ofPlatform().daemon()
                .name("flite-" + n.incrementAndGet()).unstarted(r));
    }

    /** The engine when {@code executable} runs and lists its voices ({@code flite -lv}); empty otherwise. */
    public static Optional<FliteEngine> find(String executable, int workers) {
        Set<String> voices = listVoices(executable);
        if (voices.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path directory = Files.createTempDirectory("sipai-flite-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return Optional.of(new FliteEngine(executable, voices, directory, workers));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("flite is installed but its owner-only temporary directory cannot be "
                    + "made: " + e, e);
        }
    }

    /**
     * The speaking voices {@code flite -lv} lists (its {@code *_time} voices only say times of day), within
     * {@link #LIMIT_SECONDS}; none when it does not run.
     */
    private static Set<String> listVoices(String executable) {
        Process list = null;
        try {
            list = new ProcessBuilder(executable, "-lv").redirectErrorStream(true).start();
            // One short line: it fits the pipe, so flite never waits for it to be read.
            if (!list.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS) || list.exitValue() != 0) {
                return Set.of();
            }
            String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!out.contains("Voices available:")) {
                return Set.of();
            }
            return Arrays.stream(out.substring(out.indexOf(':') + 1).strip().split("\\s+"))
                    .filter(voice -> !voice.isEmpty() && !voice.endsWith("_time")).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } finally {
            if (list != null) {
                list.destroyForcibly();
            }
        }
    }

    @Override
    public String name() {
        return "flite";
    }

    /** The voices this flite has (e.g. slt, kal16, awb, rms, kal). */
    public Set<String> voices() {
        return voices;
    }

    @Override
    public Stream open(String callId, String voice, AudioListener listener) {
        String chosen = voice != null && voices.contains(voice) ? voice : defaultVoice;
        return new SentenceQueue(workers, name(), listener, (text, sink, cancelled) -> synthesize(text, chosen,
                sink, cancelled));
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            // A sentence in progress is killed with its worker; let it go before its directory is emptied.
            workers.awaitTermination(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var left = Files.list(directory)) {
            for (Path file : left.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // A file of a sentence still being written; the OS's temporary directory cleanup takes it.
        }
    }

    /**
     * The text as flite reads it: ASCII letters, digits and punctuation; accents dropped, typographic quotes,
     * apostrophes, dashes and ellipses (common in LLM replies) turned into their ASCII forms, anything else a space.
     */
    static String speakable(String text) {
        String plain = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        StringBuilder out = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '\u2018', '\u2019', '\u201b', '\u2032' -> out.append('\'');
                case '\u201c', '\u201d', '\u201f', '\u2033' -> out.append('"');
                case '\u2013', '\u2014', '\u2212' -> out.append(", ");
                case '\u2026' -> out.append("...");
                default -> out.append(c >= 0x20 && c < 0x7f ? c : ' ');
            }
        }
        return out.toString().strip();
    }

    private void synthesize(String text, String voice, SentenceQueue.Sink sink, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        String speakable = speakable(text);
        if (speakable.isEmpty()) {
            return;
        }
        // flite writes only a WAV header to a pipe when it reads a text file, so its audio goes to a private file.
        Path wavFile = directory.resolve(UUID.randomUUID() + ".wav");
        Process flite = new ProcessBuilder(List.of(executable, "-voice", voice, "-f", "/dev/stdin", "-o",
                wavFile.toString())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            try (OutputStream in = flite.getOutputStream()) {
                in.write((speakable + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            if (!flite.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS) || flite.exitValue() != 0) {
                throw new IOException("flite failed (exit " + (flite.isAlive() ? "none" : flite.exitValue()) + ")");
            }
            if (!cancelled.getAsBoolean()) {
                try (InputStream wav = Files.newInputStream(wavFile)) {
                    readWav(wav, sink, cancelled);
                }
            }
        } finally {
            flite.destroyForcibly();
            Files.deleteIfExists(wavFile);
        }
    }

    /** Streams the samples of a PCM16 mono WAV (its sizes are not trusted) into the sink at 16 kHz. */
    static void readWav(InputStream wav, SentenceQueue.Sink sink, BooleanSupplier cancelled) throws IOException {
        byte[] riff = wav.readNBytes(12);
        if (riff.length < 12 || !"RIFF".equals(ascii(riff, 0)) || !"WAVE".equals(ascii(riff, 8))) {
            throw new IOException("flite wrote no WAV");
        }
        int rate = 0;
        while (true) {
            byte[] chunk = wav.readNBytes(8);
            if (chunk.length < 8) {
                throw new IOException("flite's WAV has no data");
            }
            String id = ascii(chunk, 0);
            int size = ByteBuffer.wrap(chunk, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if ("data".equals(id)) {
                break;
            }
            byte[] body = wav.readNBytes(Math.max(0, size));
            if ("fmt ".equals(id) && body.length >= 16) {
                ByteBuffer fmt = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
                if (fmt.getShort(0) != 1 || fmt.getShort(2) != 1 || fmt.getShort(14) != 16) {
                    throw new IOException("flite's WAV is not PCM16 mono");
                }
                rate = fmt.getInt(4);
            }
        }
        if (rate != 16_000 && !Resampler.supported(rate)) {
            throw new IOException("flite's WAV has an unsupported rate: " + rate);
        }
        streamSamples(wav, rate == 16_000 ? null : new Resampler(rate, 16_000), sink, cancelled);
    }

    private static void streamSamples(InputStream wav, Resampler resampler, SentenceQueue.Sink sink,
                                      BooleanSupplier cancelled) throws IOException {
        byte[] bytes = new byte[3200];
        short[] samples = new short[bytes.length / 2];
        short[] out = resampler == null ? samples : new short[resampler.maxOutput(samples.length)];
        int carry = 0;
        int read;
        while ((read = wav.read(bytes, carry, bytes.length - carry)) != -1) {
            if (cancelled.getAsBoolean()) {
                return;
            }
            int total = carry + read;
            int count = total / 2;
            Pcm16.toSamples(bytes, 0, count * 2, samples);
            carry = total - count * 2;
            if (carry > 0) {
                bytes[0] = bytes[count * 2];
            }
            int n = resampler == null ? count : resampler.resample(samples, count, out);
            if (n > 0) {
                sink.accept(out, n);
            }
        }
    }

    private static String ascii(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.US_ASCII);
    }
}
