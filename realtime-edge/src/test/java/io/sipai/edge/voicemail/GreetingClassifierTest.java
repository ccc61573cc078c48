package io.sipai.edge.voicemail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Greetings of answering machines and call screeners against people answering. */
class GreetingClassifierTest {

    private final GreetingClassifier classifier = new GreetingClassifier();

    @Test
    void machineGreetingsAreMachines() {
        assertThat(classifier.classify("hi you've reached john please leave a message after the tone", 3_500))
                .isEqualTo(GreetingClassifier.Verdict.MACHINE);
        assertThat(classifier.classify("the person you are calling is not available", 2_600))
                .isEqualTo(GreetingClassifier.Verdict.MACHINE);
        assertThat(classifier.classify("I can’t come to the phone right now", 1_900))
                .isEqualTo(GreetingClassifier.Verdict.MACHINE);
        assertThat(classifier.classify("welcome to the voicemail of", 1_500))
                .isEqualTo(GreetingClassifier.Verdict.MACHINE);
        assertThat(classifier.classify("", 5_000)).as("a long greeting the recognizer missed")
                .isEqualTo(GreetingClassifier.Verdict.MACHINE);
    }

    @Test
    void peopleAnsweringArePeople() {
        assertThat(classifier.classify("hello?", 600)).isEqualTo(GreetingClassifier.Verdict.HUMAN);
        assertThat(classifier.classify("yes speaking", 900)).isEqualTo(GreetingClassifier.Verdict.HUMAN);
        assertThat(classifier.classify("hi this is anna", 1_400)).isEqualTo(GreetingClassifier.Verdict.HUMAN);
    }

    @Test
    void aLongerAnswerWithoutMachineWordsIsNotDecidedByItsWords() {
        assertThat(classifier.classify("oh hi sorry i was just in the garden what is it", 3_000))
                .isEqualTo(GreetingClassifier.Verdict.UNKNOWN);
    }
}
