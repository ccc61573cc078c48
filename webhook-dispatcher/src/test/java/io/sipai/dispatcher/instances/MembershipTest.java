package io.sipai.dispatcher.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Counting instances from the client ids of the Streams group's members. */
class MembershipTest {

    private static final String A = "webhook-dispatcher-1b2c-StreamThread-";
    private static final String B = "webhook-dispatcher-9f00-StreamThread-";

    @Test
    void givenTwoInstancesWithTwoThreadsEach_thenThereAreTwoAndEachSeesTheSameOrder() {
        // given
        List<String> members = List.of(A + "1-consumer", B + "1-consumer", A + "2-consumer", B + "2-consumer");

        // when
        Membership seenByA = Membership.of(members, Set.of(A + "1-consumer", A + "2-consumer"));
        Membership seenByB = Membership.of(members, Set.of(B + "2-consumer"));

        // then
        assertThat(seenByA).isEqualTo(new Membership(2, 0));
        assertThat(seenByB).isEqualTo(new Membership(2, 1));
    }

    @Test
    void givenARestartedInstanceAndTheMemberItsPredecessorLeft_thenTheyCountOnce() {
        // given the same process id (kept in the state directory) for the dead member and the new one
        List<String> members = List.of(A + "1-consumer", B + "1-consumer", B + "1-consumer");

        // when
        Membership membership = Membership.of(members, Set.of(A + "1-consumer"));

        // then
        assertThat(membership.count()).isEqualTo(2);
    }

    @Test
    void givenAnInstanceNotYetInTheGroup_thenItCountsItselfOnceMoreRankedLast() {
        // given / when
        Membership joining = Membership.of(List.of(A + "1-consumer"), Set.of());

        // then
        assertThat(joining).isEqualTo(new Membership(2, 1));
        assertThat(joining.others()).isTrue();
    }

    @Test
    void givenOnlyItself_thenItIsAloneAndMayUseTheWholeCap() {
        // given / when
        Membership alone = Membership.of(List.of(A + "1-consumer"), Set.of(A + "1-consumer"));

        // then
        assertThat(alone).isEqualTo(Membership.ALONE);
        assertThat(alone.others()).isFalse();
        assertThat(alone.share(8)).isEqualTo(8);
    }

    @Test
    void aClientIdOfAnotherShapeCountsAsAnInstanceOfItsOwn() {
        // given members whose client ids do not follow the Streams naming
        List<String> members = List.of("custom-1", "custom-2", A + "1-consumer");

        // when / then: never fewer instances than there are (the shares only get smaller)
        assertThat(Membership.of(members, Set.of(A + "1-consumer")).count()).isEqualTo(3);
    }
}
