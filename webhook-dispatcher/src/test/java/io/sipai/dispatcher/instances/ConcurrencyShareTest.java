package io.sipai.dispatcher.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-endpoint cap split among the live instances. */
class ConcurrencyShareTest {

    private static int total(int cap, int instances) {
        return IntStream.range(0, instances).map(rank -> ConcurrencyShare.of(cap, instances, rank)).sum();
    }

    @ParameterizedTest(name = "cap {0}, {1} instance(s)")
    @CsvSource({"8,1", "8,2", "8,3", "8,5", "8,8", "1,1", "4,2", "4,3", "1000,7"})
    void givenNoMoreInstancesThanTheCap_whenEachTakesItsShare_thenTheSharesAddUpToTheCapAndDifferByAtMostOne(
            int cap, int instances) {
        // given / when
        IntStream shares = IntStream.range(0, instances).map(rank -> ConcurrencyShare.of(cap, instances, rank));

        // then
        assertThat(total(cap, instances)).isEqualTo(cap);
        assertThat(shares.summaryStatistics()).satisfies(stats -> {
            assertThat(stats.getMin()).isPositive();
            assertThat(stats.getMax() - stats.getMin()).isLessThanOrEqualTo(1);
        });
    }

    @Test
    void givenEightAsCapAndThreeInstances_thenTheFirstTwoRanksOpenThreeAndTheLastTwo() {
        assertThat(IntStream.range(0, 3).map(rank -> ConcurrencyShare.of(8, 3, rank)).toArray())
                .containsExactly(3, 3, 2);
    }

    @Test
    void givenMoreInstancesThanTheCap_thenEachStillOpensOneSoTheDeploymentMayOpenOnePerInstance() {
        // given a cap of 2 and 5 instances
        // when / then
        assertThat(IntStream.range(0, 5).map(rank -> ConcurrencyShare.of(2, 5, rank)).toArray())
                .containsOnly(1);
        assertThat(total(2, 5)).isEqualTo(5);
    }

    @Test
    void aRankOutsideTheInstancesIsRefused() {
        assertThatThrownBy(() -> ConcurrencyShare.of(8, 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
